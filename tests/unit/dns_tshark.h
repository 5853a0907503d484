/* What tshark 4.0 prints for each message of dns_vectors.h, by
 * `tshark -T fields -E occurrence=a -E aggregator=| -e FIELD...` over the
 * captured frames, one line per DNS field that has a value: every
 * occurrence in frame order, hex values (dns.id, dns.flags, classes...)
 * written in decimal. In dns.txt tshark's output escapes \b \f \n \r \t;
 * here the strings hold the bytes themselves, as the items do. */
#ifndef DNS_TSHARK_H
#define DNS_TSHARK_H

struct tshark_expect {
	const char *name; /* of the vector in dns_vectors.h */
	const char *text;
};

static const struct tshark_expect tshark_expects[] = {
	{ "q_a",
	  "dns.id=30846\n" "dns.flags=256\n" "dns.flags.response=0\n" "dns.flags.opcode=0\n"
	  "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n" "dns.flags.z=0\n"
	  "dns.flags.checkdisable=0\n" "dns.count.queries=1\n" "dns.count.answers=0\n"
	  "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n" "dns.qry.name=example.com\n"
	  "dns.qry.name.len=11\n" "dns.count.labels=2\n" "dns.qry.type=1\n" "dns.qry.class=1\n"
	},
	{ "r_a",
	  "dns.id=30846\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|ns1.example.com\n" "dns.resp.type=1|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=4|6|4\n"
	  "dns.a=192.0.2.10|198.51.100.3\n" "dns.ns=ns1.example.com\n"
	},
	{ "q_aaaa_edns",
	  "dns.id=37730\n" "dns.flags=288\n" "dns.flags.response=0\n" "dns.flags.opcode=0\n"
	  "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n" "dns.flags.z=0\n"
	  "dns.flags.authenticated=1\n" "dns.flags.checkdisable=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=28\n" "dns.qry.class=1\n" "dns.resp.name=<Root>\n" "dns.resp.type=41\n"
	  "dns.resp.len=12\n" "dns.rr.udp_payload_size=1232\n" "dns.resp.ext_rcode=0\n"
	  "dns.resp.edns0_version=0\n" "dns.resp.z=0\n" "dns.resp.z.do=0\n"
	  "dns.resp.z.reserved=0\n" "dns.opt=1\n" "dns.opt.code=10\n" "dns.opt.len=8\n"
	  "dns.opt.data=e3e845f0fc94b33f\n"
	},
	{ "r_aaaa_edns",
	  "dns.id=37730\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=2\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=28\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|ns1.example.com|<Root>\n"
	  "dns.resp.type=28|2|1|41\n" "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n"
	  "dns.resp.len=16|6|4|0\n" "dns.a=198.51.100.3\n" "dns.aaaa=2001:db8::10\n"
	  "dns.ns=ns1.example.com\n" "dns.rr.udp_payload_size=1232\n" "dns.resp.ext_rcode=0\n"
	  "dns.resp.edns0_version=0\n" "dns.resp.z=0\n" "dns.resp.z.do=0\n"
	  "dns.resp.z.reserved=0\n"
	},
	{ "r_cname",
	  "dns.id=35330\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=2\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=www.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=www.example.com|example.com|example.com|ns1.example.com\n"
	  "dns.resp.type=5|1|2|1\n" "dns.resp.class=1|1|1|1\n"
	  "dns.resp.ttl=86400|86400|86400|86400\n" "dns.resp.len=2|4|6|4\n"
	  "dns.a=192.0.2.10|198.51.100.3\n" "dns.cname=example.com\n" "dns.ns=ns1.example.com\n"
	},
	{ "r_mx",
	  "dns.id=39282\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=2\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=15\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|mail.example.com|ns1.example.com\n"
	  "dns.resp.type=15|2|1|1\n" "dns.resp.class=1|1|1|1\n"
	  "dns.resp.ttl=86400|86400|86400|86400\n" "dns.resp.len=9|6|4|4\n"
	  "dns.a=192.0.2.25|198.51.100.3\n" "dns.ns=ns1.example.com\n" "dns.mx.preference=10\n"
	  "dns.mx.mail_exchange=mail.example.com\n"
	},
	{ "r_txt",
	  "dns.id=27100\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=16\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|ns1.example.com\n" "dns.resp.type=16|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=32|6|4\n"
	  "dns.a=198.51.100.3\n" "dns.ns=ns1.example.com\n" "dns.txt.length=11|13|5\n"
	  "dns.txt=v=spf1 -all|second string|third\n"
	},
	{ "r_soa",
	  "dns.id=63928\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=6\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|ns1.example.com\n" "dns.resp.type=6|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=39|2|4\n"
	  "dns.a=198.51.100.3\n" "dns.ns=ns1.example.com\n" "dns.soa.mname=ns1.example.com\n"
	  "dns.soa.rname=hostmaster.example.com\n" "dns.soa.serial_number=2024010101\n"
	  "dns.soa.refresh_interval=7200\n" "dns.soa.retry_interval=3600\n"
	  "dns.soa.expire_limit=1209600\n" "dns.soa.minimum_ttl=3600\n"
	},
	{ "r_nxdomain",
	  "dns.id=50997\n" "dns.flags=34051\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=3\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=nope.example.com\n" "dns.qry.name.len=16\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n" "dns.resp.name=example.com\n" "dns.resp.type=6\n"
	  "dns.resp.class=1\n" "dns.resp.ttl=3600\n" "dns.resp.len=39\n"
	  "dns.soa.mname=ns1.example.com\n" "dns.soa.rname=hostmaster.example.com\n"
	  "dns.soa.serial_number=2024010101\n" "dns.soa.refresh_interval=7200\n"
	  "dns.soa.retry_interval=3600\n" "dns.soa.expire_limit=1209600\n"
	  "dns.soa.minimum_ttl=3600\n"
	},
	{ "q_norec",
	  "dns.id=40552\n" "dns.flags=32\n" "dns.flags.response=0\n" "dns.flags.opcode=0\n"
	  "dns.flags.truncated=0\n" "dns.flags.recdesired=0\n" "dns.flags.z=0\n"
	  "dns.flags.authenticated=1\n" "dns.flags.checkdisable=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=www.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	},
	{ "r_referral",
	  "dns.id=40552\n" "dns.flags=32768\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=0\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=www.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n" "dns.resp.name=example.com|ns1.example.com\n"
	  "dns.resp.type=2|1\n" "dns.resp.class=1|1\n" "dns.resp.ttl=172800|172800\n"
	  "dns.resp.len=6|4\n" "dns.a=198.51.100.3\n" "dns.ns=ns1.example.com\n"
	},
	{ "r_ptr",
	  "dns.id=20612\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=10.2.0.192.in-addr.arpa\n" "dns.qry.name.len=23\n" "dns.count.labels=6\n"
	  "dns.qry.type=12\n" "dns.qry.class=1\n"
	  "dns.resp.name=10.2.0.192.in-addr.arpa|2.0.192.in-addr.arpa\n" "dns.resp.type=12|2\n"
	  "dns.resp.class=1|1\n" "dns.resp.ttl=86400|86400\n" "dns.resp.len=13|6\n"
	  "dns.ns=ns1.example.com\n" "dns.ptr.domain_name=example.com\n"
	},
	{ "r_dot",
	  "dns.id=61528\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=a.b.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=4\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=a.b.example.com|example.com|ns1.example.com\n" "dns.resp.type=1|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=4|6|4\n"
	  "dns.a=192.0.2.11|198.51.100.3\n" "dns.ns=ns1.example.com\n"
	},
	{ "r_space",
	  "dns.id=55193\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=sp ace.example.com\n" "dns.qry.name.len=18\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=sp ace.example.com|example.com|ns1.example.com\n" "dns.resp.type=1|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=4|6|4\n"
	  "dns.a=192.0.2.12|198.51.100.3\n" "dns.ns=ns1.example.com\n"
	},
	{ "r_binary",
	  "dns.id=39776\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=\\001\357\277\275bin.example.com\n" "dns.qry.name.len=17\n"
	  "dns.count.labels=3\n" "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=\\001\357\277\275bin.example.com|example.com|ns1.example.com\n"
	  "dns.resp.type=1|2|1\n" "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n"
	  "dns.resp.len=4|6|4\n" "dns.a=192.0.2.13|198.51.100.3\n" "dns.ns=ns1.example.com\n"
	},
	{ "r_odd_txt",
	  "dns.id=37918\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=odd.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=3\n"
	  "dns.qry.type=16\n" "dns.qry.class=1\n"
	  "dns.resp.name=odd.example.com|example.com|ns1.example.com\n" "dns.resp.type=16|2|1\n"
	  "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n" "dns.resp.len=21|6|4\n"
	  "dns.a=198.51.100.3\n" "dns.ns=ns1.example.com\n" "dns.txt.length=16|2|0\n"
	  "dns.txt=quote\"back\\slash||\n"
	},
	{ "r_unknown",
	  "dns.id=1799\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=blob.example.com\n" "dns.qry.name.len=16\n" "dns.count.labels=3\n"
	  "dns.qry.type=65280\n" "dns.qry.class=1\n"
	  "dns.resp.name=blob.example.com|example.com|ns1.example.com\n"
	  "dns.resp.type=65280|2|1\n" "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n"
	  "dns.resp.len=4|6|4\n" "dns.a=198.51.100.3\n" "dns.ns=ns1.example.com\n"
	  "dns.data=deadbeef\n"
	},
	{ "r_recursive",
	  "dns.id=10932\n" "dns.flags=33152\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=1\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=2\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=www.example.com\n" "dns.qry.name.len=15\n" "dns.count.labels=3\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=www.example.com|example.com|<Root>\n" "dns.resp.type=5|1|41\n"
	  "dns.resp.class=1|1\n" "dns.resp.ttl=86400|86400\n" "dns.resp.len=2|4|0\n"
	  "dns.a=192.0.2.10\n" "dns.cname=example.com\n" "dns.rr.udp_payload_size=1232\n"
	  "dns.resp.ext_rcode=0\n" "dns.resp.edns0_version=0\n" "dns.resp.z=0\n"
	  "dns.resp.z.do=0\n" "dns.resp.z.reserved=0\n"
	},
	{ "q_do",
	  "dns.id=3540\n" "dns.flags=288\n" "dns.flags.response=0\n" "dns.flags.opcode=0\n"
	  "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n" "dns.flags.z=0\n"
	  "dns.flags.authenticated=1\n" "dns.flags.checkdisable=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n" "dns.resp.name=<Root>\n" "dns.resp.type=41\n"
	  "dns.resp.len=12\n" "dns.rr.udp_payload_size=1232\n" "dns.resp.ext_rcode=0\n"
	  "dns.resp.edns0_version=0\n" "dns.resp.z=32768\n" "dns.resp.z.do=1\n"
	  "dns.resp.z.reserved=0\n" "dns.opt=1\n" "dns.opt.code=10\n" "dns.opt.len=8\n"
	  "dns.opt.data=961b183b7aee848a\n"
	},
	{ "r_do",
	  "dns.id=3540\n" "dns.flags=34048\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=1\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=1\n" "dns.count.add_rr=2\n"
	  "dns.qry.name=example.com\n" "dns.qry.name.len=11\n" "dns.count.labels=2\n"
	  "dns.qry.type=1\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com|example.com|ns1.example.com|<Root>\n"
	  "dns.resp.type=1|2|1|41\n" "dns.resp.class=1|1|1\n" "dns.resp.ttl=86400|86400|86400\n"
	  "dns.resp.len=4|6|4|0\n" "dns.a=192.0.2.10|198.51.100.3\n" "dns.ns=ns1.example.com\n"
	  "dns.rr.udp_payload_size=1232\n" "dns.resp.ext_rcode=0\n" "dns.resp.edns0_version=0\n"
	  "dns.resp.z=32768\n" "dns.resp.z.do=1\n" "dns.resp.z.reserved=0\n"
	},
	{ "r_refused",
	  "dns.id=57787\n" "dns.flags=32773\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=0\n"
	  "dns.flags.recavail=0\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=5\n" "dns.count.queries=1\n"
	  "dns.count.answers=0\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=<Root>\n" "dns.qry.name.len=6\n" "dns.count.labels=1\n" "dns.qry.type=2\n"
	  "dns.qry.class=1\n"
	},
	{ "c_ttl_class",
	  "dns.id=1\n" "dns.flags=33152\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=1\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=x\n" "dns.qry.name.len=0\n" "dns.count.labels=0\n" "dns.qry.type=1\n"
	  "dns.qry.class=1\n" "dns.resp.name=x\n" "dns.resp.type=1\n" "dns.resp.class=32769\n"
	  "dns.resp.ttl=2147483649\n" "dns.resp.len=4\n" "dns.a=192.0.2.1\n"
	},
	{ "c_update",
	  "dns.id=3\n" "dns.flags=10240\n" "dns.flags.response=0\n" "dns.flags.opcode=5\n"
	  "dns.flags.truncated=0\n" "dns.flags.recdesired=0\n" "dns.flags.z=0\n"
	  "dns.flags.checkdisable=0\n" "dns.count.add_rr=0\n" "dns.count.zones=1\n"
	  "dns.count.prerequisites=0\n" "dns.count.updates=1\n" "dns.qry.name=example.com\n"
	  "dns.qry.name.len=11\n" "dns.count.labels=2\n" "dns.qry.type=6\n" "dns.qry.class=1\n"
	  "dns.resp.name=example.com\n" "dns.resp.type=1\n" "dns.resp.class=1\n"
	  "dns.resp.ttl=60\n" "dns.resp.len=4\n" "dns.a=192.0.2.1\n"
	},
	{ "c_trailing",
	  "dns.id=4\n" "dns.flags=33152\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=1\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=x\n" "dns.qry.name.len=0\n" "dns.count.labels=0\n" "dns.qry.type=1\n"
	  "dns.qry.class=1\n" "dns.resp.name=x\n" "dns.resp.type=1\n" "dns.resp.class=1\n"
	  "dns.resp.ttl=60\n" "dns.resp.len=4\n" "dns.a=192.0.2.1\n"
	  "dns.extraneous.data=010203\n" "dns.extraneous.length=3\n"
	},
	{ "c_opt",
	  "dns.id=2\n" "dns.flags=33152\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=1\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=1\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=1\n"
	  "dns.qry.name=x\n" "dns.qry.name.len=0\n" "dns.count.labels=0\n" "dns.qry.type=1\n"
	  "dns.qry.class=1\n" "dns.resp.name=x|<Root>\n" "dns.resp.type=65280|41\n"
	  "dns.resp.class=1\n" "dns.resp.ttl=60\n" "dns.resp.len=1|29\n"
	  "dns.rr.udp_payload_size=4096\n" "dns.resp.ext_rcode=1\n" "dns.resp.edns0_version=1\n"
	  "dns.resp.z=33059\n" "dns.resp.z.do=1\n" "dns.resp.z.reserved=291\n" "dns.opt=1|1|1|1\n"
	  "dns.opt.code=65001|12|65002|10\n" "dns.opt.len=0|3|2|8\n"
	  "dns.opt.data=<MISSING>|000000|abcd|3132333435363738\n" "dns.data=00\n"
	},
	{ "c_txt_names",
	  "dns.id=8192\n" "dns.flags=33152\n" "dns.flags.response=1\n" "dns.flags.opcode=0\n"
	  "dns.flags.authoritative=0\n" "dns.flags.truncated=0\n" "dns.flags.recdesired=1\n"
	  "dns.flags.recavail=1\n" "dns.flags.z=0\n" "dns.flags.authenticated=0\n"
	  "dns.flags.checkdisable=0\n" "dns.flags.rcode=0\n" "dns.count.queries=1\n"
	  "dns.count.answers=6\n" "dns.count.auth_rr=0\n" "dns.count.add_rr=0\n"
	  "dns.qry.name=x\n" "dns.qry.name.len=0\n" "dns.count.labels=0\n" "dns.qry.type=1\n"
	  "dns.qry.class=1\n" "dns.resp.name=x|x|x|x|x|<Root>\n"
	  "dns.resp.type=16|16|5|65280|16|2\n" "dns.resp.class=1|1|1|1|1|1\n"
	  "dns.resp.ttl=60|60|60|60|60|60\n" "dns.resp.len=26|19|8|0|20|1\n"
	  "dns.cname=a.b.\\001x\n" "dns.ns=<Root>\n" "dns.txt.length=3|4|2|2|9|0|9|8|4|4|4|4\n"
	  "dns.txt=a\001b|nl\012x|\357\277\275z|\357\277\275\357\277\275|back\\sl\"q||mid|tab\011here|bs\010x|vt\013x|cr\015x|ff\014x\n"
	},
};

#endif
