/* The Internet checksum (RFC 1071) and the Ethernet frame check sequence. */
#ifndef WW_CHECKSUM_H
#define WW_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One's-complement sum of LEN bytes folded into 16 bits, added to SUM (so
 * sums of several regions chain). Not yet complemented. */
uint32_t ww_sum16(const uint8_t *p, size_t len, uint32_t sum);
/* Fold and complement: the value to store in a checksum field. */
uint16_t ww_csum_finish(uint32_t sum);
/* RFC 1071 checksum of one region. Over a region that already holds its
 * correct checksum this returns 0. */
uint16_t ww_inet_csum(const uint8_t *p, size_t len);
/* A received message whose checksum field is included: does it check?
 * The one's complement sum must be zero, and one's complement has two
 * zeros (RFC 1624 §3): 0xffff, the usual, and 0x0000, which only a
 * message of zero words can sum to. An all-zero ICMP echo reply carries
 * checksum 0x0000 when the sender updated the request's incrementally,
 * and it is as right as 0xffff. */
bool ww_inet_csum_ok(const uint8_t *p, size_t len);
/* Sum of the IPv4 pseudo-header for UDP/TCP (RFC 768, RFC 9293 §3.1). */
uint32_t ww_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* Checksum of a UDP or TCP segment (header with its checksum field as it is,
 * plus payload): store it with the field zeroed first, or verify: 0 = good. */
uint16_t ww_l4_csum(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *seg, size_t len);

/* CRC-32 of IEEE 802.3 over the frame from destination MAC to the end of
 * the payload (padding included). The NIC appends it least significant
 * byte first; ww_fcs_append writes it that way. */
uint32_t ww_fcs(const uint8_t *frame, size_t len);
void ww_fcs_append(uint8_t *dst4, uint32_t fcs);

#endif
