// The same workloads as bench_wire.c, with libtins: build and serialize an
// Ethernet/IPv4/TCP frame, and parse one and read every field of every layer.
// Output lines as bench_wire.c: FRAME <workload> <hex>, RESULT <workload> <f/s>.
#include <tins/tins.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using namespace Tins;

namespace {

const unsigned kBatch = 1024;
const int kRuns = 3;
const uint32_t kCheckSeq = 1000;
const size_t kPayloadLen = 100;

// Addresses as values, converted once: the loop builds frames, not strings.
const HWAddress<6> kMacDst("02:00:00:00:01:01");
const HWAddress<6> kMacSrc("02:00:00:00:00:05");
const IPv4Address kIpSrc("192.168.1.5");
const IPv4Address kIpDst("192.0.2.10");
const uint16_t kSport = 40000, kDport = 80, kWindow = 64240;
const uint32_t kAck = 0x01020304;
uint8_t kPayload[kPayloadLen];

std::vector<uint8_t> g_frame;
volatile uint64_t g_sink;

uint64_t fold_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = n, w;
	for (; n >= 8; p += 8, n -= 8) {
		std::memcpy(&w, p, 8);
		h ^= w;
	}
	for (; n; p++, n--)
		h = h << 8 ^ *p;
	return h;
}

// Every PDU made anew for each frame; inner PDUs are handed over by
// pointer (no clone), the cheapest way libtins offers to stack them.
// serialize() computes lengths and checksums and pads to 60 bytes.
PDU::serialization_type emit_frame(uint32_t seq, bool data)
{
	EthernetII eth(kMacDst, kMacSrc);
	IP *ip = new IP(kIpDst, kIpSrc);
	ip->ttl(64);
	ip->id(static_cast<uint16_t>(seq));
	ip->flags(IP::DONT_FRAGMENT);
	TCP *tcp = new TCP(kDport, kSport);
	tcp->seq(seq);
	tcp->window(kWindow);
	if (data) {
		tcp->flags(TCP::PSH | TCP::ACK);
		tcp->ack_seq(kAck);
		tcp->inner_pdu(new RawPDU(kPayload, kPayloadLen));
	} else {
		tcp->flags(TCP::SYN);
		tcp->mss(1460);
	}
	ip->inner_pdu(tcp);
	eth.inner_pdu(ip);
	return eth.serialize();
}

uint64_t run_emit(uint32_t seq, unsigned n, bool data)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) {
		g_frame = emit_frame(seq + i, data);
		h ^= fold_bytes(g_frame.data(), g_frame.size());
	}
	return h;
}

uint64_t emit_syn(uint32_t seq, unsigned n) { return run_emit(seq, n, false); }
uint64_t emit_data(uint32_t seq, unsigned n) { return run_emit(seq, n, true); }

std::vector<uint8_t> g_syn, g_data;

// Parse the frame and read every field of every layer (libtins parses all
// layers in the constructor; accessors convert from network order).
uint64_t describe(const std::vector<uint8_t> &frame, bool data)
{
	EthernetII eth(frame.data(), static_cast<uint32_t>(frame.size()));
	uint64_t h = eth.dst_addr()[5] + eth.src_addr()[5] + eth.payload_type();
	const IP &ip = eth.rfind_pdu<IP>();
	h += ip.version() + ip.head_len() + ip.tos() + ip.tot_len() + ip.id() + ip.flags() +
	     ip.fragment_offset() + ip.ttl() + ip.protocol() + ip.checksum() +
	     static_cast<uint32_t>(ip.src_addr()) + static_cast<uint32_t>(ip.dst_addr());
	const TCP &tcp = eth.rfind_pdu<TCP>();
	h += tcp.sport() + tcp.dport() + tcp.seq() + tcp.ack_seq() + tcp.data_offset() +
	     tcp.flags() + tcp.window() + tcp.checksum() + tcp.urg_ptr();
	if (data)
		h += eth.rfind_pdu<RawPDU>().payload_size();
	else
		h += tcp.mss();
	return h;
}

uint64_t parse_syn(uint32_t, unsigned n)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++)
		h += describe(g_syn, false);
	return h;
}

uint64_t parse_data(uint32_t, unsigned n)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++)
		h += describe(g_data, true);
	return h;
}

// CPU time of this thread, as in bench_wire.c.
double now()
{
	timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double measure(uint64_t (*fn)(uint32_t, unsigned), double min_s)
{
	double best = 0;
	uint32_t seq = 1;
	for (int r = 0; r < kRuns; r++) {
		uint64_t done = 0;
		double t0 = now(), t;
		do {
			g_sink ^= fn(seq, kBatch);
			seq += kBatch;
			done += kBatch;
			t = now() - t0;
		} while (t < min_s);
		double rate = static_cast<double>(done) / t;
		if (rate > best)
			best = rate;
	}
	return best;
}

void print_frame(const char *name, const std::vector<uint8_t> &f)
{
	std::printf("FRAME %s ", name);
	for (uint8_t b : f)
		std::printf("%02x", b);
	std::printf("\n");
}

} // namespace

int main()
{
	double min_s = 0.5;
	if (const char *env = std::getenv("BENCH_SECONDS"))
		if (std::atof(env) > 0)
			min_s = std::atof(env);
	for (size_t i = 0; i < kPayloadLen; i++)
		kPayload[i] = static_cast<uint8_t>('a' + i % 26);

	// The frames the timed code emits for kCheckSeq; run.sh compares them
	// with wirewalk's and has tshark check them.
	emit_syn(kCheckSeq, 1);
	g_syn = g_frame;
	emit_data(kCheckSeq, 1);
	g_data = g_frame;
	print_frame("emit_syn", g_syn);
	print_frame("emit_data", g_data);
	std::fflush(stdout);

	static const struct {
		const char *name;
		uint64_t (*fn)(uint32_t, unsigned);
	} work[] = {
		{ "emit_syn", emit_syn },
		{ "emit_data", emit_data },
		{ "parse_syn", parse_syn },
		{ "parse_data", parse_data },
	};
	for (const auto &w : work) {
		std::printf("RESULT %s %.0f\n", w.name, measure(w.fn, min_s));
		std::fflush(stdout);
	}
	return 0;
}
