/* test-sdp-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-attributes.h"
#include "hail-sdp-session.h"
#include "hail-sip-error.h"
#include "hail-test-util.h"

#include <string.h>

static HailSdpSession *
load_seed (const char *name)
{
  g_autofree char *rel = g_build_filename ("fuzz", "corpus", "sdp", name, NULL);
  g_autoptr(GBytes) bytes = hail_test_load_data (rel);
  g_autoptr(GError) error = NULL;
  HailSdpSession *session = hail_sdp_session_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static HailSdpSession *
parse_ok_len (const char *text,
              gsize       len)
{
  g_autoptr(GError) error = NULL;
  HailSdpSession *session = hail_sdp_session_parse (text, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static HailSdpSession *
parse_ok (const char *text)
{
  return parse_ok_len (text, strlen (text));
}

/* Peers that put c= after t=, a= before b= and the like: the order of the
 * lines after v= o= s= carries no meaning, so it is taken as sent. */
static void
test_parse_any_session_order (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=call\r\n"
                                          "t=0 0\r\na=tool:phone\r\nc=IN IP4 192.0.2.9\r\n"
                                          "b=AS:64\r\nr=604800 3600 0\r\ni=info\r\n"
                                          "m=audio 4000 RTP/AVP 0\r\n");
  const GPtrArray *times = hail_sdp_session_get_times (s);
  const HailSdpTime *t;

  g_assert_cmpstr (hail_sdp_session_get_connection (s)->address, ==, "192.0.2.9");
  g_assert_cmpstr (hail_sdp_session_get_attribute (s, "tool"), ==, "phone");
  g_assert_cmpstr (hail_sdp_session_get_info (s), ==, "info");
  g_assert_cmpuint (hail_sdp_session_get_bandwidths (s)->len, ==, 1);
  g_assert_cmpuint (times->len, ==, 1);
  t = g_ptr_array_index (times, 0);
  /* The repeat time still belongs to the t= before it. */
  g_assert_cmpuint (t->repeats->len, ==, 1);
  g_assert_cmpuint (hail_sdp_session_get_n_media (s), ==, 1);
}

static void
test_parse_any_media_order (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\no=- 7 7 IN IP4 192.0.2.1\ns=-\nt=0 0\n"
                                          "m=audio 4000 RTP/AVP 0 8\na=sendonly\n"
                                          "c=IN IP4 192.0.2.7\nb=AS:80\ni=voice\n"
                                          "a=ptime:20\n"
                                          "m=audio 4002 RTP/AVP 0\nc=IN IP4 192.0.2.8\n"
                                          "i=second\n");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);

  g_assert_null (hail_sdp_session_get_connection (s));
  g_assert_cmpstr (hail_sdp_media_get_connection (m)->address, ==, "192.0.2.7");
  g_assert_true (hail_sdp_media_has_attribute (m, "sendonly"));
  g_assert_cmpstr (hail_sdp_media_get_attribute (m, "ptime"), ==, "20");
  /* A single-valued line may come again in the next section. */
  m = hail_sdp_session_get_media (s, 1);
  g_assert_cmpstr (hail_sdp_media_get_connection (m)->address, ==, "192.0.2.8");
}

static void
test_parse_linphone (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("linphone-opus.sdp");
  const HailSdpOrigin *o = hail_sdp_session_get_origin (s);
  const HailSdpConnection *c = hail_sdp_session_get_connection (s);
  const HailSdpMedia *m;
  const HailSdpAttribute *attr;

  g_assert_cmpstr (o->username, ==, "alice");
  g_assert_cmpuint (o->sess_id, ==, 3724);
  g_assert_cmpuint (o->sess_version, ==, 1262);
  g_assert_cmpstr (o->nettype, ==, "IN");
  g_assert_cmpstr (o->addrtype, ==, "IP4");
  g_assert_cmpstr (o->address, ==, "192.168.1.20");
  g_assert_cmpstr (hail_sdp_session_get_name (s), ==, "Talk");
  g_assert_cmpstr (c->address, ==, "192.168.1.20");
  g_assert_cmpuint (c->ttl, ==, 0);
  g_assert_cmpuint (c->n_addresses, ==, 1);
  g_assert_cmpuint (hail_sdp_session_get_times (s)->len, ==, 1);
  g_assert_cmpstr (hail_sdp_session_get_attribute (s, "rtcp-xr"), ==,
                   "rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics");

  g_assert_cmpuint (hail_sdp_session_get_n_media (s), ==, 1);
  m = hail_sdp_session_get_media (s, 0);
  g_assert_cmpstr (m->media, ==, "audio");
  g_assert_cmpuint (m->port, ==, 7078);
  g_assert_cmpuint (m->n_ports, ==, 1);
  g_assert_cmpstr (m->proto, ==, "RTP/AVP");
  g_assert_cmpuint (m->formats->len, ==, 9);
  g_assert_cmpstr (g_ptr_array_index (m->formats, 0), ==, "96");
  g_assert_cmpstr (g_ptr_array_index (m->formats, 8), ==, "100");
  g_assert_cmpuint (m->attributes->len, ==, 12);
  attr = g_ptr_array_index (m->attributes, 11);
  g_assert_cmpstr (attr->name, ==, "rtcp-fb");
  g_assert_cmpstr (attr->value, ==, "* ccm tmmbr");
  g_assert_null (hail_sdp_media_get_connection (m));
}

static void
test_parse_all_fields (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("full-session.sdp");
  const GPtrArray *times = hail_sdp_session_get_times (s);
  const HailSdpTime *t;
  const HailSdpBandwidth *bw;
  const HailSdpConnection *c;
  const HailSdpMedia *m;

  g_assert_cmpstr (hail_sdp_session_get_info (s), ==, "SDP Offer #1");
  g_assert_cmpstr (hail_sdp_session_get_uri (s), ==, "http://www.jdoe.example.com/home.html");
  g_assert_cmpuint (hail_sdp_session_get_emails (s)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (hail_sdp_session_get_emails (s), 0), ==,
                   "Jane Doe <jane@jdoe.example.com>");
  g_assert_cmpstr (g_ptr_array_index (hail_sdp_session_get_phones (s), 0), ==, "+1 617 555-6011");
  bw = g_ptr_array_index (hail_sdp_session_get_bandwidths (s), 0);
  g_assert_cmpstr (bw->type, ==, "CT");
  g_assert_cmpuint (bw->value, ==, 128);
  g_assert_cmpuint (times->len, ==, 2);
  t = g_ptr_array_index (times, 1);
  g_assert_cmpuint (t->start, ==, 3724394400u);
  g_assert_cmpuint (t->stop, ==, 3724398000u);
  g_assert_cmpuint (t->repeats->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t->repeats, 0), ==, "604800 3600 0 90000");
  g_assert_cmpstr (hail_sdp_session_get_zone (s), ==, "2882844526 -1h 2898848070 0");
  g_assert_cmpstr (hail_sdp_session_get_key (s), ==, "prompt");
  g_assert_true (hail_sdp_session_has_attribute (s, "recvonly"));
  g_assert_null (hail_sdp_session_get_attribute (s, "recvonly"));

  g_assert_cmpuint (hail_sdp_session_get_n_media (s), ==, 4);
  /* The session-level recvonly is every section's default. */
  m = hail_sdp_session_get_media (s, 1);
  g_assert_cmpint (hail_sdp_media_get_direction (s, m), ==, HAIL_SDP_DIRECTION_RECVONLY);
  m = hail_sdp_session_get_media (s, 2);
  g_assert_cmpuint (m->connections->len, ==, 2);
  c = g_ptr_array_index (m->connections, 0);
  g_assert_cmpstr (c->addrtype, ==, "IP6");
  g_assert_cmpstr (c->address, ==, "2001:db8::2");
  c = g_ptr_array_index (m->connections, 1);
  g_assert_cmpstr (c->address, ==, "ff15::101");
  g_assert_cmpuint (c->ttl, ==, 0);
  g_assert_cmpuint (c->n_addresses, ==, 3);
  bw = g_ptr_array_index (m->bandwidths, 0);
  g_assert_cmpstr (bw->type, ==, "AS");
  g_assert_cmpuint (bw->value, ==, 256);
  m = hail_sdp_session_get_media (s, 3);
  g_assert_cmpuint (m->port, ==, 51374);
  g_assert_cmpuint (m->n_ports, ==, 2);
  c = hail_sdp_media_get_connection (m);
  g_assert_cmpstr (c->address, ==, "233.252.0.1");
  g_assert_cmpuint (c->ttl, ==, 127);
  g_assert_cmpuint (c->n_addresses, ==, 2);
}

/* Every seed: parse -> write -> parse gives the same fields, the written
 * form uses CRLF only and writing again changes nothing. */
static void
test_round_trip_seeds (void)
{
  g_autoptr(GPtrArray) files = hail_test_list_dir ("fuzz/corpus/sdp");

  g_assert_cmpuint (files->len, >=, 9);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(HailSdpSession) first = NULL;
      g_autoptr(HailSdpSession) second = NULL;
      g_autofree char *text = NULL;
      g_autofree char *again = NULL;

      first = load_seed (g_ptr_array_index (files, i));
      text = hail_sdp_session_to_string (first);
      g_assert_true (g_str_has_suffix (text, "\r\n"));
      for (const char *p = strchr (text, '\n'); p != NULL; p = strchr (p + 1, '\n'))
        g_assert_cmpint (p[-1], ==, '\r');
      second = parse_ok (text);
      again = hail_sdp_session_to_string (second);
      g_assert_cmpstr (text, ==, again);
      g_assert_true (hail_sdp_session_equal (first, second));
    }
}

static void
test_write_canonical_order (void)
{
  /* Out of RFC 8866 order nowhere, but LF-only and without the final end:
   * the writer restores CRLF and keeps the order. */
  const char *in = "v=0\no=- 1 2 IN IP4 192.0.2.1\ns=x\ni=info\nu=http://x/\n"
                   "e=a@b.example\np=+1 555\nc=IN IP4 192.0.2.1/16\nb=AS:64\nt=0 0\nr=1 2 0\n"
                   "z=0 -1h\nk=clear:abc\na=tool:x\nm=audio 1/2 RTP/AVP 0\ni=m-info\n"
                   "c=IN IP4 192.0.2.2\nb=TIAS:64000\nk=prompt\na=sendonly";
  const char *want = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=x\r\ni=info\r\nu=http://x/\r\n"
                     "e=a@b.example\r\np=+1 555\r\nc=IN IP4 192.0.2.1/16\r\nb=AS:64\r\n"
                     "t=0 0\r\nr=1 2 0\r\nz=0 -1h\r\nk=clear:abc\r\na=tool:x\r\n"
                     "m=audio 1/2 RTP/AVP 0\r\ni=m-info\r\nc=IN IP4 192.0.2.2\r\n"
                     "b=TIAS:64000\r\nk=prompt\r\na=sendonly\r\n";
  g_autoptr(HailSdpSession) s = parse_ok (in);
  g_autofree char *out = hail_sdp_session_to_string (s);
  g_autoptr(GBytes) bytes = hail_sdp_session_to_bytes (s);

  g_assert_cmpstr (out, ==, want);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), want, strlen (want));
}

static void
test_unknown_attributes_kept (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                                          "a=zeta:1\r\na=alpha\r\na=zeta:\r\n"
                                          "m=audio 9 RTP/AVP 0\r\na=x-custom:a b  c\r\n"
                                          "a=rtcp-fb:* nack\r\n");
  g_autofree char *out = hail_sdp_session_to_string (s);
  const GPtrArray *attrs = hail_sdp_session_get_attributes (s);
  const HailSdpAttribute *a;

  g_assert_cmpuint (attrs->len, ==, 3);
  a = g_ptr_array_index (attrs, 2);
  g_assert_cmpstr (a->name, ==, "zeta");
  g_assert_cmpstr (a->value, ==, "");
  g_assert_nonnull (strstr (out, "a=zeta:1\r\na=alpha\r\na=zeta:\r\n"));
  g_assert_nonnull (strstr (out, "a=x-custom:a b  c\r\na=rtcp-fb:* nack\r\n"));
}

/* Trailing blanks on a= lines are dropped, so typed values still parse;
 * a bare a=fmtp:<format> has empty parameters. */
static void
test_attribute_trailing_blanks (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\r\no=- 1 1 IN IP4 h\r\ns= \r\nt=0 0\r\n"
                                          "m=audio 9 RTP/AVP 0 18\r\na=rtpmap:0 PCMU/8000 \r\n"
                                          "a=ptime:20\t \r\na=fmtp:18\r\na=sendrecv \r\n");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_autofree char *out = hail_sdp_session_to_string (s);

  g_assert_cmpstr (hail_sdp_session_get_name (s), ==, " ");
  g_assert_cmpuint (hail_sdp_media_get_ptime (m), ==, 20);
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "18"), ==, "");
  g_assert_null (hail_sdp_media_get_fmtp (m, "1"));
  g_assert_true (hail_sdp_media_has_attribute (m, "sendrecv"));
  g_assert_nonnull (strstr (out, "a=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=fmtp:18\r\n"));
}

static void
test_blank_lines_at_end (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n\r\n\r\n");

  g_assert_cmpuint (hail_sdp_session_get_n_media (s), ==, 0);
}

static void
test_session_id_64bit (void)
{
  g_autoptr(HailSdpSession) s = parse_ok ("v=0\r\no=- 18446744073709551615 9223372036854775808"
                                          " IN IP4 h\r\ns=-\r\nt=0 0\r\n");
  g_autoptr(GError) error = NULL;
  const char *over = "v=0\r\no=- 18446744073709551616 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n";
  g_autoptr(HailSdpSession) bad = hail_sdp_session_parse (over, strlen (over), &error);

  g_assert_cmpuint (hail_sdp_session_get_origin (s)->sess_id, ==, G_MAXUINT64);
  g_assert_cmpuint (hail_sdp_session_get_origin (s)->sess_version, ==,
                    G_GUINT64_CONSTANT (9223372036854775808));
  g_assert_null (bad);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "SDP line 2 (o=): session id is not a 64-bit number");
}

typedef struct {
  const char *body;
  int         code;
  const char *message;
} BadCase;

#define HEAD "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n"

static const BadCase bad_cases[] = {
  { "", HAIL_SIP_ERROR_MALFORMED, "SDP ends after 0 lines, without v=, o=, s= and t=" },
  { HEAD, HAIL_SIP_ERROR_MALFORMED, "SDP ends after 3 lines, without v=, o=, s= and t=" },
  { "o=- 1 1 IN IP4 h\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 1 (o=): SDP must start with v=, o= and s=" },
  { "v=1\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 1 (v=): only version 0 exists" },
  { "v=0\no=- 1 IN IP4 h\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 2 (o=): expected 6 fields, not 5" },
  { "v=0\no=- x 1 IN IP4 h\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 2 (o=): session id is not a 64-bit number" },
  { HEAD "t=0 0\nbogus\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5: not of the form <type>=<value>" },
  { HEAD "t=0 0\nx=1\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (x=): unknown or misplaced line type" },
  { HEAD "c=IN IP4 192.0.2.1\nt=0 0\nc=IN IP4 192.0.2.2\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (c=): repeated" },
  { HEAD "t=0 0\ni=a\ni=b\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 6 (i=): repeated" },
  { HEAD "u=http://a\nt=0 0\nu=http://b\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (u=): repeated" },
  { HEAD "k=prompt\nt=0 0\nk=prompt\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 6 (k=): repeated" },
  { HEAD "z=0 0\nt=0 0\nz=0 0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 6 (z=): repeated" },
  { HEAD "t=0 0\nv=0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 5 (v=): repeated" },
  { HEAD "t=0 0\no=- 2 2 IN IP4 192.0.2.1\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (o=): repeated" },
  { "v=0\ns=-\no=- 1 1 IN IP4 192.0.2.1\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 2 (s=): SDP must start with v=, o= and s=" },
  { "v=0\no=- 1 1 IN IP4 192.0.2.1\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 3 (t=): SDP must start with v=, o= and s=" },
  { HEAD "s=again\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 4 (s=): repeated" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\ni=a\na=x\ni=b\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 8 (i=): repeated" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\nk=prompt\nk=prompt\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 7 (k=): repeated" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\nz=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (z=): unknown or misplaced line type" },
  { HEAD "r=1 2 3\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 4 (r=): r= without t=" },
  { HEAD "a=tool:x\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP ends after 4 lines, without v=, o=, s= and t=" },
  { HEAD "m=audio 9 RTP/AVP 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (m=): no t= line before the media descriptions" },
  { HEAD "t=0 0\nm=audio 70000 RTP/AVP 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (m=): port is not in 0..65535" },
  { HEAD "t=0 0\nm=audio 9/0 RTP/AVP 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (m=): bad number of ports" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 128\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (m=): RTP payload type \"128\" is not in 0..127" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (m=): no media formats" },
  { HEAD "t=0 0\nm=audio 9\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 5 (m=): expected <media> <port> <proto> <fmt> ..." },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (t=): unknown or misplaced line type" },
  { HEAD "c=IN IP4 1.2.3\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 4 (c=): bad IP4 address" },
  { HEAD "c=IN IP6 ::1::2\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 4 (c=): bad IP6 address" },
  { HEAD "c=IN IP4 224.2.1.1/256\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (c=): TTL is not in 1..255" },
  { HEAD "c=IN IP6 ff15::1/2/3\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (c=): too many \"/\" parts" },
  { HEAD "c=XX IP4 h\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (c=): unknown network type \"XX\"" },
  { HEAD "c=IN IP4\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (c=): expected 3 fields, not 2" },
  { HEAD "b=AS64\nt=0 0\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 4 (b=): expected <bwtype>:<bandwidth>" },
  { HEAD "t=0\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 4 (t=): expected <start-time> <stop-time>" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 96\na=rtpmap:96 opus\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (a=): a=rtpmap: expected <encoding>/<clock rate>" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\na=ptime:soon\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (a=): a=ptime: not a time in milliseconds" },
  { HEAD "t=0 0\nm=audio 9 RTP/AVP 0\na=sendrecv:yes\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (a=): a=sendrecv: takes no value" },
  { HEAD "t=0 0\nm=audio 9 RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc!\n",
    HAIL_SIP_ERROR_MALFORMED, "SDP line 6 (a=): a=crypto: inline key is not base64" },
  { HEAD "t=0 0\nm=message 9 TCP/MSRP *\na=path:sip:bob@example.com\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (a=): a=path: MSRP path holds a URI that is not msrp: or msrps:" },
  { HEAD "t=0 0\nm=message 9 TCP/MSRP *\na=setup:sometimes\n", HAIL_SIP_ERROR_MALFORMED,
    "SDP line 6 (a=): a=setup: not active, passive, actpass or holdconn" },
  { HEAD "t=0 0\na=bad name\n", HAIL_SIP_ERROR_MALFORMED, "SDP line 5 (a=): bad attribute name" },
};

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSdpSession) s = NULL;

      s = hail_sdp_session_parse (bad_cases[i].body, strlen (bad_cases[i].body), &error);
      g_assert_null (s);
      g_assert_error (error, HAIL_SIP_ERROR, bad_cases[i].code);
      g_assert_cmpstr (error->message, ==, bad_cases[i].message);
    }
}

static void
test_nul_inside_line (void)
{
  const char body[] = "v=0\r\no=- 1 1 IN IP4 h\r\ns=a\0b\r\nt=0 0\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpSession) s = hail_sdp_session_parse (body, sizeof body - 1, &error);

  g_assert_null (s);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "SDP line 3 (s=): NUL or CR inside the line");
}

/* The input is not NUL-terminated: a parse of a prefix sees only the prefix. */
static void
test_no_over_read (void)
{
  const char *body = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8";
  g_autofree char *exact = g_memdup2 (body, strlen (body) - 2);
  g_autoptr(HailSdpSession) s = parse_ok_len (exact, strlen (body) - 2);
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);

  g_assert_cmpuint (m->formats->len, ==, 1);
}

static GString *
body_with_head (void)
{
  return g_string_new ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n");
}

static void
assert_too_large (GString    *body,
                  const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpSession) s = hail_sdp_session_parse (body->str, body->len, &error);

  g_assert_null (s);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bounds (void)
{
  g_autoptr(GString) big = body_with_head ();
  g_autoptr(GString) media = body_with_head ();
  g_autoptr(GString) attrs = body_with_head ();
  g_autoptr(GString) line = body_with_head ();
  g_autoptr(GString) formats = body_with_head ();
  g_autoptr(GString) ok = body_with_head ();
  g_autoptr(HailSdpSession) s = NULL;
  g_autofree char *big_message = NULL;

  while (big->len <= HAIL_SDP_MAX_SIZE)
    g_string_append (big, "a=x:padding padding padding padding\r\n");
  big_message = g_strdup_printf ("SDP body of %" G_GSIZE_FORMAT " bytes is larger than 65536",
                                 big->len);
  assert_too_large (big, big_message);

  for (guint i = 0; i <= HAIL_SDP_MAX_MEDIA; i++)
    g_string_append (media, "m=audio 0 RTP/AVP 0\r\n");
  assert_too_large (media, "SDP line 37 (m=): more than 32 media descriptions");

  for (guint i = 0; i <= HAIL_SDP_MAX_ATTRIBUTES; i++)
    g_string_append (attrs, "a=x\r\n");
  assert_too_large (attrs, "SDP line 261 (a=): more than 256 attributes");

  g_string_append (line, "a=x:");
  for (guint i = 0; i < HAIL_SDP_MAX_LINE; i++)
    g_string_append_c (line, 'y');
  assert_too_large (line, "SDP line 5: longer than 4096 bytes");

  g_string_append (formats, "m=audio 9 RTP/AVP");
  for (guint i = 0; i <= HAIL_SDP_MAX_FORMATS; i++)
    g_string_append (formats, " 0");
  assert_too_large (formats, "SDP line 5 (m=): more than 128 formats");

  /* Exactly at the bounds is fine. */
  for (guint i = 0; i < HAIL_SDP_MAX_MEDIA; i++)
    g_string_append (ok, "m=audio 0 RTP/AVP 0\r\n");
  for (guint i = 0; i < HAIL_SDP_MAX_ATTRIBUTES; i++)
    g_string_append (ok, "a=x\r\n");
  s = parse_ok (ok->str);
  g_assert_cmpuint (hail_sdp_session_get_n_media (s), ==, HAIL_SDP_MAX_MEDIA);
}

static void
test_copy_and_boxed (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("full-session.sdp");
  g_autoptr(HailSdpSession) copy = hail_sdp_session_copy (s);
  HailSdpSession *boxed;

  g_assert_true (copy != s);
  g_assert_true (hail_sdp_session_equal (s, copy));
  hail_sdp_session_set_version (copy, 99);
  g_assert_false (hail_sdp_session_equal (s, copy));

  boxed = g_boxed_copy (HAIL_TYPE_SDP_SESSION, s);
  g_assert_true (boxed == s);
  g_boxed_free (HAIL_TYPE_SDP_SESSION, boxed);
}

static void
test_builder (void)
{
  const char * const path[] = { "msrp://192.0.2.1:2855/abc;tcp", NULL };
  const char * const types[] = { "message/cpim", "text/plain", NULL };
  const char *want =
    "v=0\r\n"
    "o=hail 42 7 IN IP6 2001:db8::5\r\n"
    "s=-\r\n"
    "c=IN IP6 2001:db8::5\r\n"
    "b=AS:80\r\n"
    "t=0 0\r\n"
    "a=tool:hail\r\n"
    "m=audio 4000 RTP/AVP 111 101\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 useinbandfec=1\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendonly\r\n"
    "m=message 2855 TCP/MSRP *\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "a=path:msrp://192.0.2.1:2855/abc;tcp\r\n"
    "a=accept-types:message/cpim text/plain\r\n";
  g_autoptr(HailSdpSession) s = hail_sdp_session_new ("hail", 42, 7, "2001:db8::5");
  g_autofree char *out = NULL;
  g_autoptr(HailSdpSession) back = NULL;
  HailSdpMedia *m;

  hail_sdp_session_add_bandwidth (s, "AS", 80);
  hail_sdp_session_add_attribute (s, "tool", "hail");
  m = hail_sdp_session_add_media (s, "audio", 4000, "RTP/AVP");
  hail_sdp_media_add_format (m, "111");
  hail_sdp_media_add_format (m, "101");
  hail_sdp_media_add_rtpmap (m, 111, "opus", 48000, 2);
  hail_sdp_media_add_fmtp (m, "111", "useinbandfec=1");
  hail_sdp_media_add_rtpmap (m, 101, "telephone-event", 8000, 1);
  hail_sdp_media_add_fmtp (m, "101", "0-16");
  hail_sdp_media_set_ptime (m, 20);
  hail_sdp_media_set_direction (m, HAIL_SDP_DIRECTION_RECVONLY);
  hail_sdp_media_set_direction (m, HAIL_SDP_DIRECTION_SENDONLY);
  m = hail_sdp_session_add_media (s, "message", 2855, "TCP/MSRP");
  hail_sdp_media_add_format (m, "*");
  hail_sdp_media_set_connection (m, "192.0.2.1");
  hail_sdp_media_add_attribute (m, "path", path[0]);
  hail_sdp_media_add_attribute_printf (m, "accept-types", "%s %s", types[0], types[1]);

  out = hail_sdp_session_to_string (s);
  g_assert_cmpstr (out, ==, want);
  back = parse_ok (out);
  g_assert_true (hail_sdp_session_equal (s, back));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/sdp/session/parse-linphone", test_parse_linphone);
  g_test_add_func ("/sip/sdp/session/any-session-order", test_parse_any_session_order);
  g_test_add_func ("/sip/sdp/session/any-media-order", test_parse_any_media_order);
  g_test_add_func ("/sip/sdp/session/parse-all-fields", test_parse_all_fields);
  g_test_add_func ("/sip/sdp/session/round-trip-seeds", test_round_trip_seeds);
  g_test_add_func ("/sip/sdp/session/write-canonical-order", test_write_canonical_order);
  g_test_add_func ("/sip/sdp/session/unknown-attributes-kept", test_unknown_attributes_kept);
  g_test_add_func ("/sip/sdp/session/attribute-trailing-blanks", test_attribute_trailing_blanks);
  g_test_add_func ("/sip/sdp/session/blank-lines-at-end", test_blank_lines_at_end);
  g_test_add_func ("/sip/sdp/session/session-id-64bit", test_session_id_64bit);
  g_test_add_func ("/sip/sdp/session/malformed", test_malformed);
  g_test_add_func ("/sip/sdp/session/nul-inside-line", test_nul_inside_line);
  g_test_add_func ("/sip/sdp/session/no-over-read", test_no_over_read);
  g_test_add_func ("/sip/sdp/session/bounds", test_bounds);
  g_test_add_func ("/sip/sdp/session/copy-and-boxed", test_copy_and_boxed);
  g_test_add_func ("/sip/sdp/session/builder", test_builder);
  return g_test_run ();
}
