/* test-sdp-negotiation.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-negotiation.h"
#include "hail-sip-error.h"
#include "hail-test-util.h"

#include <string.h>

static HailSdpSession *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  HailSdpSession *session = hail_sdp_session_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return session;
}

static HailSdpSession *
load_seed (const char *name)
{
  g_autofree char *rel = g_build_filename ("fuzz", "corpus", "sdp", name, NULL);
  g_autoptr(GBytes) bytes = hail_test_load_data (rel);
  g_autoptr(GError) error = NULL;
  HailSdpSession *session = hail_sdp_session_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return session;
}

static const HailSdpStream *
only_stream (HailSdpNegotiation *n)
{
  const GPtrArray *streams = hail_sdp_negotiation_get_streams (n);

  g_assert_cmpuint (streams->len, ==, 1);
  return g_ptr_array_index (streams, 0);
}

static char *
formats_of (const HailSdpMedia *m)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < m->formats->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            (const char *) g_ptr_array_index (m->formats, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static HailSdpSession *
answer_ok (HailSdpNegotiation *n,
           HailSdpSession     *offer)
{
  g_autoptr(GError) error = NULL;
  HailSdpSession *answer = hail_sdp_negotiation_create_answer (n, offer, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (hail_sdp_session_get_n_media (answer), ==,
                    hail_sdp_session_get_n_media (offer));
  return answer;
}

static void
assert_answer_fails (HailSdpNegotiation *n,
                     const char         *offer_text,
                     guint               status,
                     const char         *message)
{
  g_autoptr(HailSdpSession) offer = parse (offer_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpSession) answer = hail_sdp_negotiation_create_answer (n, offer, &error);

  g_assert_null (answer);
  g_assert_nonnull (error);
  g_assert_cmpuint (hail_sdp_negotiation_error_to_status (error), ==, status);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_offer_default (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.10", 40000);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpSession) offer = hail_sdp_negotiation_create_offer (n, &error);
  g_autofree char *text = hail_sdp_session_to_string (offer);
  g_autofree char *want = NULL;
  const HailSdpOrigin *o = hail_sdp_session_get_origin (offer);

  g_assert_no_error (error);
  want = g_strdup_printf ("v=0\r\no=- %" G_GUINT64_FORMAT " 1 IN IP4 192.0.2.10\r\ns=-\r\n"
                          "c=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                          "m=audio 40000 RTP/AVP 111 9 0 8 101\r\n"
                          "a=rtpmap:111 opus/48000/2\r\n"
                          "a=fmtp:111 useinbandfec=1\r\n"
                          "a=rtpmap:9 G722/8000\r\n"
                          "a=rtpmap:0 PCMU/8000\r\n"
                          "a=rtpmap:8 PCMA/8000\r\n"
                          "a=rtpmap:101 telephone-event/8000\r\n"
                          "a=fmtp:101 0-16\r\n"
                          "a=ptime:20\r\n"
                          "a=sendrecv\r\n", o->sess_id);
  g_assert_cmpstr (text, ==, want);
  g_assert_cmpuint (hail_sdp_negotiation_get_streams (n)->len, ==, 0);
}

static void
test_offer_srtp (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("2001:db8::10", 40000);
  g_autoptr(HailSdpSession) required = NULL;
  g_autoptr(HailSdpSession) optional = NULL;
  g_autoptr(GPtrArray) cryptos = NULL;
  const HailSdpCrypto *c;

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_REQUIRED);
  required = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_cmpstr (hail_sdp_session_get_connection (required)->addrtype, ==, "IP6");
  g_assert_cmpstr (hail_sdp_session_get_media (required, 0)->proto, ==, "RTP/SAVP");
  cryptos = hail_sdp_media_dup_cryptos (hail_sdp_session_get_media (required, 0));
  g_assert_cmpuint (cryptos->len, ==, 2);
  c = g_ptr_array_index (cryptos, 0);
  g_assert_cmpuint (c->tag, ==, 1);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80);
  c = g_ptr_array_index (cryptos, 1);
  g_assert_cmpuint (c->tag, ==, 2);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32);

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_OPTIONAL);
  optional = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_cmpstr (hail_sdp_session_get_media (optional, 0)->proto, ==, "RTP/AVP");
  g_assert_true (hail_sdp_media_has_attribute (hail_sdp_session_get_media (optional, 0),
                                               "crypto"));
}

static void
test_offer_custom_codecs (void)
{
  static const HailSdpCodec codecs[] = {
    { "PCMA", 8000, 1, 8, NULL },
    { "telephone-event", 8000, 1, 96, "0-15" },
  };
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.10", 40000);
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(HailSdpSession) remote = parse ("v=0\r\no=- 5 5 IN IP4 h\r\ns=-\r\n"
                                            "c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                                            "m=audio 5004 RTP/AVP 111 0 8\r\n"
                                            "a=rtpmap:111 opus/48000/2\r\n");
  const HailSdpMedia *m;
  g_autofree char *fmts = NULL;

  hail_sdp_negotiation_set_codecs (n, codecs, G_N_ELEMENTS (codecs));
  hail_sdp_negotiation_set_ptime (n, 40);
  offer = hail_sdp_negotiation_create_offer (n, NULL);
  m = hail_sdp_session_get_media (offer, 0);
  fmts = formats_of (m);
  g_assert_cmpstr (fmts, ==, "8 96");
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "96"), ==, "0-15");
  g_assert_cmpuint (hail_sdp_media_get_ptime (m), ==, 40);

  /* Answering, only our list counts: opus is offered first but not ours. */
  hail_sdp_negotiation_rollback (n);
  answer = answer_ok (n, remote);
  g_assert_cmpstr (only_stream (n)->codec, ==, "PCMA");
  g_assert_cmpint (only_stream (n)->telephone_event_pt, ==, -1);
}

/* RFC 3264 §10.1 / RFC 4317 §2.1: audio PCMU, PCMA, iLBC plus video. We
 * take PCMU (our first match), reject the video, keep m= line order. */
static void
test_answer_rfc4317_audio_video (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("rfc4317-audio-video.sdp");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  const HailSdpMedia *audio = hail_sdp_session_get_media (answer, 0);
  const HailSdpMedia *video = hail_sdp_session_get_media (answer, 1);
  g_autofree char *audio_fmts = formats_of (audio);
  const HailSdpStream *st = only_stream (n);

  g_assert_cmpuint (audio->port, ==, 30000);
  g_assert_cmpstr (audio_fmts, ==, "0");
  g_assert_cmpstr (video->media, ==, "video");
  g_assert_cmpuint (video->port, ==, 0);
  g_assert_cmpstr (st->codec, ==, "PCMU");
  g_assert_cmpuint (st->payload_type, ==, 0);
  g_assert_cmpuint (st->clock_rate, ==, 8000);
  g_assert_cmpint (st->telephone_event_pt, ==, -1);
  g_assert_cmpstr (st->remote_address, ==, "host.atlanta.example.com");
  g_assert_cmpuint (st->remote_port, ==, 49170);
  g_assert_cmpuint (st->remote_rtcp_port, ==, 49171);
  g_assert_cmpint (st->direction, ==, HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (hail_sdp_media_get_direction (answer, audio), ==, HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpuint (st->ptime, ==, 20);
  g_assert_cmpint (st->srtp_suite, ==, HAIL_SDP_CRYPTO_SUITE_UNKNOWN);
}

/* RFC 3264 §10.2: PCMU, G.723 and G.729 offered; PCMU is the one we have. */
static void
test_answer_rfc3264_one_of_n (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = parse ("v=0\r\no=alice 2890844526 2890844526 IN IP4 "
                                           "host.anywhere.com\r\ns=\r\n"
                                           "c=IN IP4 host.anywhere.com\r\nt=0 0\r\n"
                                           "m=audio 62986 RTP/AVP 0 4 18\r\n"
                                           "a=rtpmap:0 PCMU/8000\r\na=rtpmap:4 G723/8000\r\n"
                                           "a=rtpmap:18 G729/8000\r\na=inactive\r\n");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  const HailSdpMedia *m = hail_sdp_session_get_media (answer, 0);
  g_autofree char *fmts = formats_of (m);

  g_assert_cmpstr (fmts, ==, "0");
  g_assert_cmpint (hail_sdp_media_get_direction (answer, m), ==, HAIL_SDP_DIRECTION_INACTIVE);
  g_assert_cmpstr (only_stream (n)->codec, ==, "PCMU");
  g_assert_cmpuint (only_stream (n)->remote_port, ==, 62986);
}

/* Linphone offers opus as 96 and three telephone-event rates: we keep its
 * numbers and pick the event rate matching opus. */
static void
test_answer_keeps_offerer_payload_types (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("linphone-opus.sdp");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  const HailSdpMedia *m = hail_sdp_session_get_media (answer, 0);
  g_autofree char *fmts = formats_of (m);
  g_autoptr(HailSdpRtpmap) opus = hail_sdp_media_dup_rtpmap (m, 96);
  g_autoptr(HailSdpRtpmap) events = hail_sdp_media_dup_rtpmap (m, 101);
  const HailSdpStream *st = only_stream (n);

  g_assert_cmpstr (fmts, ==, "96 101");
  g_assert_cmpstr (opus->encoding, ==, "opus");
  g_assert_cmpuint (opus->channels, ==, 2);
  g_assert_cmpuint (events->clock_rate, ==, 48000);
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "96"), ==, "useinbandfec=1");
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "101"), ==, "0-16");
  g_assert_cmpstr (st->codec, ==, "opus");
  g_assert_cmpuint (st->payload_type, ==, 96);
  g_assert_cmpuint (st->clock_rate, ==, 48000);
  g_assert_cmpuint (st->channels, ==, 2);
  g_assert_cmpstr (st->fmtp, ==, "useinbandfec=1");
  g_assert_cmpint (st->telephone_event_pt, ==, 101);
  g_assert_cmpuint (st->telephone_event_clock_rate, ==, 48000);
}

/* The offer's order does not matter: ours does (G.722 before PCMA). */
static void
test_answer_prefers_our_order (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = parse ("v=0\r\no=- 5 5 IN IP4 198.51.100.7\r\ns=-\r\n"
                                           "c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                                           "m=audio 5004 RTP/AVP 8 18 9 100\r\n"
                                           "a=rtpmap:100 telephone-event/8000\r\n"
                                           "a=fmtp:100 0-15\r\na=ptime:30\r\n"
                                           "a=rtcp:5010 IN IP4 198.51.100.8\r\n");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  g_autofree char *fmts = formats_of (hail_sdp_session_get_media (answer, 0));
  const HailSdpStream *st = only_stream (n);

  g_assert_cmpstr (fmts, ==, "9 100");
  g_assert_cmpstr (st->codec, ==, "G722");
  g_assert_cmpint (st->telephone_event_pt, ==, 100);
  g_assert_cmpuint (st->ptime, ==, 30);
  g_assert_cmpuint (st->remote_rtcp_port, ==, 5010);
  g_assert_cmpstr (st->remote_rtcp_address, ==, "198.51.100.8");
  g_assert_cmpuint (st->local_port, ==, 30000);
}

typedef struct {
  const char      *offered;
  gboolean         hold;
  HailSdpDirection answered;
} DirectionCase;

/* RFC 3264 §6.1, combined with our own hold. */
static void
test_answer_direction (void)
{
  static const DirectionCase cases[] = {
    { "sendrecv", FALSE, HAIL_SDP_DIRECTION_SENDRECV },
    { "sendonly", FALSE, HAIL_SDP_DIRECTION_RECVONLY },
    { "recvonly", FALSE, HAIL_SDP_DIRECTION_SENDONLY },
    { "inactive", FALSE, HAIL_SDP_DIRECTION_INACTIVE },
    { "sendrecv", TRUE, HAIL_SDP_DIRECTION_SENDONLY },
    { "sendonly", TRUE, HAIL_SDP_DIRECTION_INACTIVE },
    { "recvonly", TRUE, HAIL_SDP_DIRECTION_SENDONLY },
    { "inactive", TRUE, HAIL_SDP_DIRECTION_INACTIVE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
      g_autofree char *text = g_strdup_printf ("v=0\r\no=- 5 5 IN IP4 h\r\ns=-\r\n"
                                               "c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                                               "m=audio 5004 RTP/AVP 0\r\na=%s\r\n",
                                               cases[i].offered);
      g_autoptr(HailSdpSession) offer = parse (text);
      g_autoptr(HailSdpSession) answer = NULL;

      hail_sdp_negotiation_set_hold (n, cases[i].hold);
      answer = answer_ok (n, offer);
      g_assert_cmpint (hail_sdp_media_get_direction (answer,
                                                     hail_sdp_session_get_media (answer, 0)),
                       ==, cases[i].answered);
      g_assert_cmpint (only_stream (n)->direction, ==, cases[i].answered);
    }
}

/* RFC 3264 §8.4 (and RFC 2543): c=0.0.0.0 asks us not to send. */
static void
test_answer_null_address_hold (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = parse ("v=0\r\no=- 5 6 IN IP4 h\r\ns=-\r\n"
                                           "c=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                                           "m=audio 5004 RTP/AVP 0\r\n");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);

  g_assert_cmpint (only_stream (n)->direction, ==, HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (hail_sdp_media_get_direction (answer, hail_sdp_session_get_media (answer, 0)),
                   ==, HAIL_SDP_DIRECTION_RECVONLY);
}

/* RFC 4317-style: two audio streams and a chat; we take the first audio. */
static void
test_answer_rejects_extra_streams (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = parse ("v=0\r\no=alice 1 1 IN IP4 h\r\ns=-\r\n"
                                           "c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                                           "m=audio 0 RTP/AVP 0\r\n"
                                           "m=audio 49170 RTP/AVP 97\r\na=rtpmap:97 iLBC/8000\r\n"
                                           "m=audio 49172 RTP/AVP 8 0\r\n"
                                           "m=audio 49174 RTP/AVP 0\r\n"
                                           "m=message 7394 TCP/MSRP *\r\n"
                                           "a=accept-types:text/plain\r\n"
                                           "a=path:msrp://h:7394/x;tcp\r\n");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  const HailSdpStream *st = only_stream (n);
  guint ports[] = { 0, 0, 30000, 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    g_assert_cmpuint (hail_sdp_session_get_media (answer, i)->port, ==, ports[i]);
  g_assert_cmpstr (hail_sdp_session_get_media (answer, 4)->media, ==, "message");
  g_assert_cmpstr (hail_sdp_session_get_media (answer, 4)->proto, ==, "TCP/MSRP");
  g_assert_cmpuint (st->index, ==, 2);
  g_assert_cmpstr (st->codec, ==, "PCMU");
  g_assert_cmpuint (st->remote_port, ==, 49172);
}

static void
test_answer_unacceptable (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpNegotiation) srtp = hail_sdp_negotiation_new ("192.0.2.20", 30000);

  assert_answer_fails (n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                          "m=audio 49170 RTP/AVP 97 3\r\na=rtpmap:97 iLBC/8000\r\n",
                       488, "The offer has no codec in common with ours");
  assert_answer_fails (n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                          "m=video 49170 RTP/AVP 31\r\n",
                       488, "The offer has no audio stream");
  assert_answer_fails (n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                          "m=audio 49170 UDP/TLS/RTP/SAVP 0\r\n",
                       488, "The offer's audio transport is not RTP/AVP or RTP/SAVP");
  assert_answer_fails (n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                          "m=audio 49170 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                          "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n",
                       488, "The offer requires SRTP, which is turned off");

  hail_sdp_negotiation_set_srtp_policy (srtp, HAIL_SDP_SRTP_REQUIRED);
  assert_answer_fails (srtp, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                             "m=audio 49170 RTP/AVP 0\r\n",
                       488, "SRTP is required, but the offer is plain RTP");
  assert_answer_fails (srtp, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n"
                             "m=audio 49170 RTP/SAVP 0\r\na=crypto:1 F8_128_HMAC_SHA1_80 "
                             "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n",
                       488, "The offer's RTP/SAVP has no a=crypto suite we support");
  /* No c= anywhere: the offer is broken, not unacceptable. */
  assert_answer_fails (n, "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                          "m=audio 49170 RTP/AVP 0\r\n",
                       400, "m= line 1 has no c= line at media or session level");
  g_assert_cmpuint (hail_sdp_negotiation_get_streams (n)->len, ==, 0);
  g_assert_null (hail_sdp_negotiation_get_local (n));
}

static void
test_answer_srtp (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("baresip-srtp.sdp");
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(GPtrArray) cryptos = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  const HailSdpCrypto *c;
  const HailSdpCryptoKey *theirs, *ours;
  const HailSdpStream *st;

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_REQUIRED);
  answer = answer_ok (n, offer);
  st = only_stream (n);
  g_assert_cmpstr (hail_sdp_session_get_media (answer, 0)->proto, ==, "RTP/SAVP");
  cryptos = hail_sdp_media_dup_cryptos (hail_sdp_session_get_media (answer, 0));
  offered = hail_sdp_media_dup_cryptos (hail_sdp_session_get_media (offer, 0));
  g_assert_cmpuint (cryptos->len, ==, 1);
  c = g_ptr_array_index (cryptos, 0);
  g_assert_cmpuint (c->tag, ==, 1);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80);
  ours = g_ptr_array_index (c->keys, 0);
  theirs = g_ptr_array_index (((HailSdpCrypto *) g_ptr_array_index (offered, 0))->keys, 0);
  g_assert_false (g_bytes_equal (ours->key_salt, theirs->key_salt));
  g_assert_cmpint (st->srtp_suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80);
  g_assert_true (g_bytes_equal (st->srtp_local_key, ours->key_salt));
  g_assert_true (g_bytes_equal (st->srtp_remote_key, theirs->key_salt));
  g_assert_cmpstr (st->codec, ==, "opus");
  g_assert_cmpstr (st->fmtp, ==, "stereo=1;sprop-stereo=1");
}

/* Two Hail ends: offer, answer, process the answer; each sees the other. */
static void
test_offer_answer_between_peers (void)
{
  HailSdpNegotiation *alice = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  HailSdpNegotiation *bob = hail_sdp_negotiation_new ("192.0.2.2", 5000);
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(GError) error = NULL;
  const HailSdpStream *a, *b;

  hail_sdp_negotiation_set_srtp_policy (alice, HAIL_SDP_SRTP_OPTIONAL);
  hail_sdp_negotiation_set_srtp_policy (bob, HAIL_SDP_SRTP_OPTIONAL);
  hail_sdp_negotiation_set_rtcp_mux (alice, TRUE);
  offer = hail_sdp_negotiation_create_offer (alice, &error);
  g_assert_no_error (error);
  answer = answer_ok (bob, offer);
  g_assert_true (hail_sdp_negotiation_process_answer (alice, answer, &error));
  g_assert_no_error (error);

  a = only_stream (alice);
  b = only_stream (bob);
  g_assert_cmpstr (a->codec, ==, "opus");
  g_assert_cmpstr (b->codec, ==, "opus");
  g_assert_cmpint (a->telephone_event_pt, ==, 101);
  g_assert_cmpint (b->telephone_event_pt, ==, 101);
  g_assert_cmpstr (a->remote_address, ==, "192.0.2.2");
  g_assert_cmpuint (a->remote_port, ==, 5000);
  g_assert_cmpuint (a->local_port, ==, 4000);
  g_assert_cmpstr (b->remote_address, ==, "192.0.2.1");
  g_assert_cmpuint (b->remote_port, ==, 4000);
  /* Bob did not enable rtcp-mux, so neither side muxes. */
  g_assert_false (a->rtcp_mux);
  g_assert_false (b->rtcp_mux);
  /* Best-effort SRTP was keyed: each side decrypts with the other's key. */
  g_assert_cmpint (a->srtp_suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80);
  g_assert_true (g_bytes_equal (a->srtp_local_key, b->srtp_remote_key));
  g_assert_true (g_bytes_equal (a->srtp_remote_key, b->srtp_local_key));
  g_assert_true (hail_sdp_negotiation_get_local (alice) == offer);
  g_assert_true (hail_sdp_negotiation_get_remote (alice) == answer);
  g_assert_finalize_object (alice);
  g_assert_finalize_object (bob);
}

static guint64
version_of (HailSdpSession *s)
{
  return hail_sdp_session_get_origin (s)->sess_version;
}

/* Hold with a sendonly re-offer, then resume; versions move only on change
 * and m= lines stay. */
static void
test_hold_and_resume (void)
{
  HailSdpNegotiation *alice = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  HailSdpNegotiation *bob = hail_sdp_negotiation_new ("192.0.2.2", 5000);
  g_autoptr(HailSdpSession) o1 = NULL, a1 = NULL, o2 = NULL, a2 = NULL, o3 = NULL, a3 = NULL;
  g_autoptr(HailSdpSession) same = NULL;
  g_autoptr(GError) error = NULL;

  o1 = hail_sdp_negotiation_create_offer (alice, NULL);
  a1 = answer_ok (bob, o1);
  g_assert_true (hail_sdp_negotiation_process_answer (alice, a1, &error));

  /* Re-offering with no change keeps the version (RFC 3264 §8). */
  same = hail_sdp_negotiation_create_offer (alice, NULL);
  g_assert_cmpuint (version_of (same), ==, version_of (o1));
  hail_sdp_negotiation_rollback (alice);

  hail_sdp_negotiation_set_hold (alice, TRUE);
  g_assert_true (hail_sdp_negotiation_get_hold (alice));
  o2 = hail_sdp_negotiation_create_offer (alice, NULL);
  g_assert_cmpuint (version_of (o2), ==, version_of (o1) + 1);
  g_assert_cmpint (hail_sdp_media_get_direction (o2, hail_sdp_session_get_media (o2, 0)), ==,
                   HAIL_SDP_DIRECTION_SENDONLY);
  a2 = answer_ok (bob, o2);
  g_assert_cmpuint (version_of (a2), ==, version_of (a1) + 1);
  g_assert_cmpint (hail_sdp_media_get_direction (a2, hail_sdp_session_get_media (a2, 0)), ==,
                   HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_true (hail_sdp_negotiation_process_answer (alice, a2, &error));
  g_assert_cmpint (only_stream (alice)->direction, ==, HAIL_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (only_stream (bob)->direction, ==, HAIL_SDP_DIRECTION_RECVONLY);

  hail_sdp_negotiation_set_hold (alice, FALSE);
  o3 = hail_sdp_negotiation_create_offer (alice, NULL);
  g_assert_cmpuint (version_of (o3), ==, version_of (o2) + 1);
  a3 = answer_ok (bob, o3);
  g_assert_true (hail_sdp_negotiation_process_answer (alice, a3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (only_stream (alice)->direction, ==, HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (only_stream (bob)->direction, ==, HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpuint (hail_sdp_session_get_origin (o3)->sess_id, ==,
                    hail_sdp_session_get_origin (o1)->sess_id);
  g_assert_finalize_object (alice);
  g_assert_finalize_object (bob);
}

/* RFC 3264 §8.4: holding a stream the peer already holds gives inactive. */
static void
test_hold_while_held (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = parse ("v=0\r\no=- 5 5 IN IP4 h\r\ns=-\r\n"
                                           "c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                                           "m=audio 5004 RTP/AVP 0\r\na=sendonly\r\n");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  g_autoptr(HailSdpSession) reoffer = NULL;

  g_assert_cmpint (only_stream (n)->direction, ==, HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (hail_sdp_media_get_direction (answer, hail_sdp_session_get_media (answer, 0)),
                   ==, HAIL_SDP_DIRECTION_RECVONLY);
  hail_sdp_negotiation_set_hold (n, TRUE);
  reoffer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_cmpuint (hail_sdp_session_get_n_media (reoffer), ==, 1);
  g_assert_cmpint (hail_sdp_media_get_direction (reoffer,
                                                 hail_sdp_session_get_media (reoffer, 0)),
                   ==, HAIL_SDP_DIRECTION_INACTIVE);
}

/* After answering audio+video, our re-offer keeps the rejected video. */
static void
test_reoffer_keeps_rejected_lines (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("rfc4317-audio-video.sdp");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  g_autoptr(HailSdpSession) reoffer = hail_sdp_negotiation_create_offer (n, NULL);
  const HailSdpMedia *video;

  /* The answer rejected the video; the re-offer must keep it rejected. */
  g_assert_cmpuint (hail_sdp_session_get_media (answer, 1)->port, ==, 0);
  g_assert_cmpuint (hail_sdp_session_get_n_media (reoffer), ==, 2);
  g_assert_cmpuint (hail_sdp_session_get_media (reoffer, 0)->port, ==, 30000);
  video = hail_sdp_session_get_media (reoffer, 1);
  g_assert_cmpstr (video->media, ==, "video");
  g_assert_cmpuint (video->port, ==, 0);
}

/* RFC 3264 §8.3.2: after answering Linphone's opus/96 and events/48000 as
 * 101, a re-offer keeps 96 for opus, and telephone-event/8000 takes the
 * peer's 100 instead of our usual 101, which already means 48 kHz events. */
static void
test_reoffer_keeps_payload_types (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("linphone-opus.sdp");
  g_autoptr(HailSdpSession) answer = answer_ok (n, offer);
  g_autoptr(HailSdpSession) reoffer = hail_sdp_negotiation_create_offer (n, NULL);
  const HailSdpMedia *m = hail_sdp_session_get_media (reoffer, 0);
  g_autofree char *fmts = formats_of (m);
  g_autoptr(HailSdpRtpmap) events = hail_sdp_media_dup_rtpmap (m, 100);

  g_assert_cmpuint (hail_sdp_session_get_media (answer, 0)->port, ==, 30000);
  g_assert_cmpstr (fmts, ==, "96 9 0 8 100");
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "96"), ==, "useinbandfec=1");
  g_assert_cmpstr (events->encoding, ==, "telephone-event");
  g_assert_cmpuint (events->clock_rate, ==, 8000);
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "100"), ==, "0-16");
}

/* A re-offer keeps RTP/SAVP agreed in the first exchange even when our
 * policy alone would write best-effort RTP/AVP. */
static void
test_reoffer_keeps_savp (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("baresip-srtp.sdp");
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(HailSdpSession) reoffer = NULL;

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_OPTIONAL);
  answer = answer_ok (n, offer);
  reoffer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_cmpstr (hail_sdp_session_get_media (reoffer, 0)->proto, ==, "RTP/SAVP");
  hail_sdp_negotiation_rollback (n);
  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_NONE);
  g_clear_pointer (&reoffer, hail_sdp_session_unref);
  reoffer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_cmpstr (hail_sdp_session_get_media (reoffer, 0)->proto, ==, "RTP/AVP");
  g_assert_false (hail_sdp_media_has_attribute (hail_sdp_session_get_media (reoffer, 0), "crypto"));
}

static void
test_reanswer_version (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.20", 30000);
  g_autoptr(HailSdpSession) offer = load_seed ("asterisk-g722.sdp");
  g_autoptr(HailSdpSession) a1 = answer_ok (n, offer);
  g_autoptr(HailSdpSession) a2 = answer_ok (n, offer);
  g_autoptr(HailSdpSession) a3 = NULL;
  g_autoptr(HailSdpSession) fewer = parse ("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpSession) none = NULL;

  g_assert_cmpuint (version_of (a2), ==, version_of (a1));
  hail_sdp_negotiation_set_local (n, "192.0.2.21", 30002);
  a3 = answer_ok (n, offer);
  g_assert_cmpuint (version_of (a3), ==, version_of (a1) + 1);
  g_assert_cmpstr (hail_sdp_session_get_connection (a3)->address, ==, "192.0.2.21");

  none = hail_sdp_negotiation_create_answer (n, fewer, &error);
  g_assert_null (none);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpuint (hail_sdp_negotiation_error_to_status (error), ==, 400);
}

static void
assert_bad_answer (const char *answer_body,
                   int         code,
                   const char *message)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = parse (answer_body);
  g_autoptr(GError) error = NULL;

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_REQUIRED);
  offer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_false (hail_sdp_negotiation_process_answer (n, answer, &error));
  g_assert_error (error, HAIL_SIP_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (hail_sdp_negotiation_get_streams (n)->len, ==, 0);
}

#define ANSWER_HEAD "v=0\r\no=- 9 9 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n"
#define GOOD_CRYPTO "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " \
                    "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"

static void
test_process_bad_answers (void)
{
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/SAVP 0\r\n" GOOD_CRYPTO
                     "m=video 0 RTP/AVP 31\r\n",
                     HAIL_SIP_ERROR_MALFORMED, "The answer has 2 m= lines for the 1 offered");
  assert_bad_answer (ANSWER_HEAD "m=video 5000 RTP/SAVP 0\r\n" GOOD_CRYPTO,
                     HAIL_SIP_ERROR_MALFORMED, "The answer's m= line 1 is video, not audio");
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/SAVP 18\r\n" GOOD_CRYPTO,
                     HAIL_SIP_ERROR_MALFORMED, "The answer's format 18 was not offered");
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/AVP 0\r\n",
                     HAIL_SIP_ERROR_MALFORMED,
                     "The answer changes the transport of m= line 1 to RTP/AVP");
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/SAVP 101\r\n" GOOD_CRYPTO,
                     HAIL_SIP_ERROR_UNSUPPORTED, "The answer accepts no audio codec");
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/SAVP 0\r\n",
                     HAIL_SIP_ERROR_UNSUPPORTED, "The answer has no usable a=crypto for RTP/SAVP");
  assert_bad_answer (ANSWER_HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 "
                     "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n",
                     HAIL_SIP_ERROR_MALFORMED,
                     "The answer's a=crypto tag 2 does not match an offered one");
  assert_bad_answer (ANSWER_HEAD "m=audio 0 RTP/SAVP 0\r\n",
                     HAIL_SIP_ERROR_UNSUPPORTED, "The answer rejects the audio stream");
}

static void
test_process_answer_direction_mismatch (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = parse (ANSWER_HEAD "m=audio 5000 RTP/AVP 0\r\n"
                                            "a=sendrecv\r\n");
  g_autoptr(GError) error = NULL;

  hail_sdp_negotiation_set_hold (n, TRUE);
  offer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_false (hail_sdp_negotiation_process_answer (n, answer, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "The answer's sendrecv does not fit the offered sendonly");
}

static void
test_process_answer_without_offer (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  g_autoptr(HailSdpSession) answer = parse (ANSWER_HEAD "m=audio 5000 RTP/AVP 0\r\n");
  g_autoptr(GError) error = NULL;

  g_assert_false (hail_sdp_negotiation_process_answer (n, answer, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_process_plain_answer_to_optional_srtp (void)
{
  g_autoptr(HailSdpNegotiation) n = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = parse (ANSWER_HEAD "m=audio 5000 RTP/AVP 8 101\r\n"
                                            "a=rtpmap:101 telephone-event/8000\r\n"
                                            "a=ptime:40\r\na=rtcp:6000\r\n");
  g_autoptr(GError) error = NULL;
  const HailSdpStream *st;

  hail_sdp_negotiation_set_srtp_policy (n, HAIL_SDP_SRTP_OPTIONAL);
  offer = hail_sdp_negotiation_create_offer (n, NULL);
  g_assert_true (hail_sdp_negotiation_process_answer (n, answer, &error));
  g_assert_no_error (error);
  st = only_stream (n);
  g_assert_cmpstr (st->codec, ==, "PCMA");
  g_assert_cmpuint (st->payload_type, ==, 8);
  g_assert_cmpint (st->telephone_event_pt, ==, 101);
  g_assert_cmpuint (st->ptime, ==, 40);
  g_assert_cmpuint (st->remote_rtcp_port, ==, 6000);
  g_assert_cmpstr (st->remote_rtcp_address, ==, "192.0.2.2");
  g_assert_cmpint (st->srtp_suite, ==, HAIL_SDP_CRYPTO_SUITE_UNKNOWN);
  g_assert_null (st->srtp_local_key);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/sdp/negotiation/offer-default", test_offer_default);
  g_test_add_func ("/sip/sdp/negotiation/offer-srtp", test_offer_srtp);
  g_test_add_func ("/sip/sdp/negotiation/offer-custom-codecs", test_offer_custom_codecs);
  g_test_add_func ("/sip/sdp/negotiation/answer-rfc4317-audio-video",
                   test_answer_rfc4317_audio_video);
  g_test_add_func ("/sip/sdp/negotiation/answer-rfc3264-one-of-n", test_answer_rfc3264_one_of_n);
  g_test_add_func ("/sip/sdp/negotiation/answer-keeps-offerer-payload-types",
                   test_answer_keeps_offerer_payload_types);
  g_test_add_func ("/sip/sdp/negotiation/answer-prefers-our-order", test_answer_prefers_our_order);
  g_test_add_func ("/sip/sdp/negotiation/answer-direction", test_answer_direction);
  g_test_add_func ("/sip/sdp/negotiation/answer-null-address-hold",
                   test_answer_null_address_hold);
  g_test_add_func ("/sip/sdp/negotiation/answer-rejects-extra-streams",
                   test_answer_rejects_extra_streams);
  g_test_add_func ("/sip/sdp/negotiation/answer-unacceptable", test_answer_unacceptable);
  g_test_add_func ("/sip/sdp/negotiation/answer-srtp", test_answer_srtp);
  g_test_add_func ("/sip/sdp/negotiation/offer-answer-between-peers",
                   test_offer_answer_between_peers);
  g_test_add_func ("/sip/sdp/negotiation/hold-and-resume", test_hold_and_resume);
  g_test_add_func ("/sip/sdp/negotiation/hold-while-held", test_hold_while_held);
  g_test_add_func ("/sip/sdp/negotiation/reoffer-keeps-rejected-lines",
                   test_reoffer_keeps_rejected_lines);
  g_test_add_func ("/sip/sdp/negotiation/reoffer-keeps-payload-types",
                   test_reoffer_keeps_payload_types);
  g_test_add_func ("/sip/sdp/negotiation/reoffer-keeps-savp", test_reoffer_keeps_savp);
  g_test_add_func ("/sip/sdp/negotiation/reanswer-version", test_reanswer_version);
  g_test_add_func ("/sip/sdp/negotiation/process-bad-answers", test_process_bad_answers);
  g_test_add_func ("/sip/sdp/negotiation/process-answer-direction-mismatch",
                   test_process_answer_direction_mismatch);
  g_test_add_func ("/sip/sdp/negotiation/process-answer-without-offer",
                   test_process_answer_without_offer);
  g_test_add_func ("/sip/sdp/negotiation/process-plain-answer-to-optional-srtp",
                   test_process_plain_answer_to_optional_srtp);
  return g_test_run ();
}
