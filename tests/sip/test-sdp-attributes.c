/* test-sdp-attributes.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-attributes.h"
#include "hail-sdp-crypto.h"
#include "hail-sdp-msrp.h"
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
  return session;
}

/* A session with one section made of @lines (LF-separated). */
static HailSdpSession *
parse_media (const char *lines)
{
  g_autofree char *body = g_strconcat ("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\n", lines, NULL);
  g_autoptr(GError) error = NULL;
  HailSdpSession *session = hail_sdp_session_parse (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (hail_sdp_session_get_n_media (session), ==, 1);
  return session;
}

static void
test_rtpmap (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("baresip-srtp.sdp");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_autoptr(HailSdpRtpmap) opus = hail_sdp_media_dup_rtpmap (m, 111);
  g_autoptr(HailSdpRtpmap) pcma = hail_sdp_media_dup_rtpmap (m, 8);
  g_autoptr(HailSdpRtpmap) none = hail_sdp_media_dup_rtpmap (m, 96);

  g_assert_cmpuint (opus->payload_type, ==, 111);
  g_assert_cmpstr (opus->encoding, ==, "opus");
  g_assert_cmpuint (opus->clock_rate, ==, 48000);
  g_assert_cmpuint (opus->channels, ==, 2);
  g_assert_cmpstr (pcma->encoding, ==, "PCMA");
  g_assert_cmpuint (pcma->clock_rate, ==, 8000);
  g_assert_cmpuint (pcma->channels, ==, 1);
  g_assert_null (none);
}

static void
test_rtpmap_static_fallback (void)
{
  g_autoptr(HailSdpSession) s = parse_media ("m=audio 9 RTP/AVP 0 9 18 96\n");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_autoptr(HailSdpRtpmap) pcmu = hail_sdp_media_dup_rtpmap (m, 0);
  g_autoptr(HailSdpRtpmap) g722 = hail_sdp_media_dup_rtpmap (m, 9);
  g_autoptr(HailSdpRtpmap) dynamic = hail_sdp_media_dup_rtpmap (m, 96);

  g_assert_cmpstr (pcmu->encoding, ==, "PCMU");
  g_assert_cmpstr (g722->encoding, ==, "G722");
  g_assert_cmpuint (g722->clock_rate, ==, 8000);
  g_assert_null (dynamic);
}

static void
test_rtpmap_malformed (void)
{
  static const char * const bad[] = {
    "", "96", "96 opus", "96 opus/", "96 /8000", "128 x/8000", "96 opus/0",
    "96 opus/48000/0", "96 opus/48000/256", "96 opus/48000/2/1", "-1 x/8000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSdpRtpmap) rtpmap = hail_sdp_rtpmap_parse (bad[i], &error);

      g_assert_null (rtpmap);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
}

static void
test_fmtp_lookup (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("baresip-srtp.sdp");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  const char *params = hail_sdp_media_get_fmtp (m, "111");
  g_autofree char *stereo = NULL;
  g_autofree char *sprop = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *bare = NULL;

  g_assert_cmpstr (params, ==, "stereo=1;sprop-stereo=1");
  g_assert_cmpstr (hail_sdp_media_get_fmtp (m, "101"), ==, "0-15");
  g_assert_null (hail_sdp_media_get_fmtp (m, "11"));
  g_assert_null (hail_sdp_media_get_fmtp (m, "9"));
  stereo = hail_sdp_fmtp_lookup (params, "STEREO");
  sprop = hail_sdp_fmtp_lookup ("mode=30; sprop-stereo = 0 ;x", "sprop-stereo");
  missing = hail_sdp_fmtp_lookup (params, "mode");
  bare = hail_sdp_fmtp_lookup ("a=1;x", "x");
  g_assert_cmpstr (stereo, ==, "1");
  g_assert_cmpstr (sprop, ==, "0");
  g_assert_null (missing);
  g_assert_cmpstr (bare, ==, "");
}

static void
test_ptime (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("asterisk-g722.sdp");
  g_autoptr(HailSdpSession) frac = parse_media ("m=audio 9 RTP/AVP 0\na=ptime:30.5\n");
  g_autoptr(HailSdpSession) none = parse_media ("m=audio 9 RTP/AVP 0\n");

  g_assert_cmpuint (hail_sdp_media_get_ptime (hail_sdp_session_get_media (s, 0)), ==, 20);
  g_assert_cmpuint (hail_sdp_media_get_maxptime (hail_sdp_session_get_media (s, 0)), ==, 150);
  g_assert_cmpuint (hail_sdp_media_get_ptime (hail_sdp_session_get_media (frac, 0)), ==, 30);
  g_assert_cmpuint (hail_sdp_media_get_ptime (hail_sdp_session_get_media (none, 0)), ==, 0);
}

static void
test_direction (void)
{
  g_autoptr(HailSdpSession) inherit = NULL;
  g_autoptr(HailSdpSession) plain = parse_media ("m=audio 9 RTP/AVP 0\n");
  g_autoptr(HailSdpSession) media = parse_media ("m=audio 9 RTP/AVP 0\na=inactive\n");
  const char *body = "v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\na=sendonly\n"
                     "m=audio 9 RTP/AVP 0\nm=audio 9 RTP/AVP 0\na=recvonly\n";
  HailSdpDirection d;

  inherit = hail_sdp_session_parse (body, strlen (body), NULL);
  g_assert_cmpint (hail_sdp_media_get_direction (plain, hail_sdp_session_get_media (plain, 0)),
                   ==, HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (hail_sdp_media_get_direction (media, hail_sdp_session_get_media (media, 0)),
                   ==, HAIL_SDP_DIRECTION_INACTIVE);
  g_assert_cmpint (hail_sdp_media_get_direction (inherit,
                                                 hail_sdp_session_get_media (inherit, 0)),
                   ==, HAIL_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (hail_sdp_media_get_direction (inherit,
                                                 hail_sdp_session_get_media (inherit, 1)),
                   ==, HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (hail_sdp_direction_reverse (HAIL_SDP_DIRECTION_SENDONLY), ==,
                   HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (hail_sdp_direction_reverse (HAIL_SDP_DIRECTION_SENDRECV), ==,
                   HAIL_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (hail_sdp_direction_reverse (HAIL_SDP_DIRECTION_INACTIVE), ==,
                   HAIL_SDP_DIRECTION_INACTIVE);
  g_assert_true (hail_sdp_direction_from_string ("recvonly", &d));
  g_assert_cmpint (d, ==, HAIL_SDP_DIRECTION_RECVONLY);
  g_assert_false (hail_sdp_direction_from_string ("sendreceive", &d));
}

static void
test_rtcp (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("ipv6-rtcp.sdp");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_autoptr(HailSdpRtcp) rtcp = hail_sdp_media_dup_rtcp (m);
  g_autoptr(HailSdpRtcp) port_only = hail_sdp_rtcp_parse ("53020", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpRtcp) bad = hail_sdp_rtcp_parse ("53020 IN IP4", &error);

  g_assert_cmpuint (rtcp->port, ==, 5005);
  g_assert_cmpstr (rtcp->nettype, ==, "IN");
  g_assert_cmpstr (rtcp->addrtype, ==, "IP6");
  g_assert_cmpstr (rtcp->address, ==, "2001:db8::1");
  g_assert_true (hail_sdp_media_get_rtcp_mux (m));
  g_assert_cmpuint (port_only->port, ==, 53020);
  g_assert_null (port_only->address);
  g_assert_null (bad);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_crypto_parse (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("baresip-srtp.sdp");
  g_autoptr(GPtrArray) cryptos = hail_sdp_media_dup_cryptos (hail_sdp_session_get_media (s, 0));
  const HailSdpCrypto *c;
  const HailSdpCryptoKey *k;

  g_assert_cmpuint (cryptos->len, ==, 2);
  c = g_ptr_array_index (cryptos, 0);
  g_assert_cmpuint (c->tag, ==, 1);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80);
  g_assert_cmpstr (c->suite_name, ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_null (c->session_params);
  k = g_ptr_array_index (c->keys, 0);
  g_assert_cmpstr (k->method, ==, "inline");
  g_assert_cmpuint (g_bytes_get_size (k->key_salt), ==, HAIL_SDP_CRYPTO_KEY_SALT_LEN);
  g_assert_cmpuint (k->lifetime_log2, ==, 20);
  g_assert_cmpuint (k->lifetime, ==, 1 << 20);
  g_assert_true (k->has_mki);
  g_assert_cmpuint (k->mki, ==, 1);
  g_assert_cmpuint (k->mki_length, ==, 32);
  c = g_ptr_array_index (cryptos, 1);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32);
  k = g_ptr_array_index (c->keys, 0);
  g_assert_false (k->has_mki);
  g_assert_cmpuint (k->lifetime_log2, ==, 31);
}

static void
test_crypto_unknown_suite_and_session_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSdpCrypto) c = NULL;
  const HailSdpCryptoKey *k;

  c = hail_sdp_crypto_parse ("7 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm"
                             "|1000;inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2|1000 "
                             "KDR=1 UNENCRYPTED_SRTCP", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->tag, ==, 7);
  g_assert_cmpint (c->suite, ==, HAIL_SDP_CRYPTO_SUITE_UNKNOWN);
  g_assert_cmpstr (c->suite_name, ==, "F8_128_HMAC_SHA1_80");
  g_assert_cmpuint (c->keys->len, ==, 2);
  k = g_ptr_array_index (c->keys, 1);
  g_assert_cmpuint (k->lifetime, ==, 1000);
  g_assert_cmpuint (k->lifetime_log2, ==, 0);
  g_assert_cmpstr (c->session_params, ==, "KDR=1 UNENCRYPTED_SRTCP");
}

static void
test_crypto_malformed (void)
{
  static const char * const bad[] = {
    "1 AES_CM_128_HMAC_SHA1_80",
    "1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    "x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkp",              /* 15 bytes */
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB",  /* not /4 */
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaV=R",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^0",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:129",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20",
    "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1|2|3",
    "1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key",
    "1 AES_CM_128_HMAC_SHA1_80 inline",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSdpCrypto) c = hail_sdp_crypto_parse (bad[i], &error);

      if (c != NULL)
        g_error ("accepted %s", bad[i]);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
}

static void
test_crypto_generate_and_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) k1 = hail_sdp_crypto_generate_key (&error);
  g_autoptr(GBytes) k2 = hail_sdp_crypto_generate_key (&error);
  g_autofree char *value = NULL;
  g_autoptr(HailSdpCrypto) back = NULL;
  const HailSdpCryptoKey *key;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (k1), ==, HAIL_SDP_CRYPTO_KEY_SALT_LEN);
  g_assert_false (g_bytes_equal (k1, k2));
  value = hail_sdp_crypto_format (3, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32, k1);
  g_assert_true (g_str_has_prefix (value, "3 AES_CM_128_HMAC_SHA1_32 inline:"));
  g_assert_cmpuint (strlen (value), ==, strlen ("3 AES_CM_128_HMAC_SHA1_32 inline:") + 40);
  back = hail_sdp_crypto_parse (value, &error);
  g_assert_no_error (error);
  key = g_ptr_array_index (back->keys, 0);
  g_assert_true (g_bytes_equal (key->key_salt, k1));
}

static void
test_msrp_chat (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("msrp-chat.sdp");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_auto(GStrv) path = hail_sdp_media_dup_msrp_path (m);
  g_auto(GStrv) types = hail_sdp_media_dup_accept_types (m);
  g_auto(GStrv) wrapped = hail_sdp_media_dup_accept_wrapped_types (m);
  HailSdpSetup setup;
  HailSdpConnectionMode mode;
  guint64 max_size = 0;

  g_assert_cmpstr (m->proto, ==, "TCP/TLS/MSRP");
  g_assert_cmpstr (g_ptr_array_index (m->formats, 0), ==, "*");
  g_assert_cmpuint (g_strv_length (path), ==, 2);
  g_assert_cmpstr (path[0], ==, "msrps://bob.example.com:8888/9di4eae923wzd;tcp");
  g_assert_cmpstr (path[1], ==, "msrps://relay.example.net:2855/kjd8es;tcp");
  g_assert_cmpuint (g_strv_length (types), ==, 3);
  g_assert_cmpstr (types[2], ==, "text/html");
  g_assert_cmpstr (wrapped[1], ==, "image/*");
  g_assert_true (hail_sdp_media_get_max_size (m, &max_size));
  g_assert_cmpuint (max_size, ==, 131072);
  g_assert_true (hail_sdp_media_get_setup (m, &setup));
  g_assert_cmpint (setup, ==, HAIL_SDP_SETUP_PASSIVE);
  g_assert_true (hail_sdp_media_get_connection_mode (m, &mode));
  g_assert_cmpint (mode, ==, HAIL_SDP_CONNECTION_MODE_NEW);
}

static void
test_msrp_file_transfer (void)
{
  g_autoptr(HailSdpSession) s = load_seed ("msrp-file.sdp");
  const HailSdpMedia *m = hail_sdp_session_get_media (s, 0);
  g_autoptr(HailSdpFileSelector) sel = hail_sdp_media_dup_file_selector (m);

  g_assert_cmpstr (m->info, ==, "This is my latest picture");
  g_assert_cmpstr (sel->name, ==, "My cool picture.jpg");
  g_assert_cmpstr (sel->type, ==, "image/jpeg");
  g_assert_cmpint (sel->size, ==, 32349);
  g_assert_cmpstr (sel->hash_algorithm, ==, "sha-1");
  g_assert_cmpstr (sel->hash, ==, "72:24:5F:E8:65:3D:DA:F3:71:36:2F:86:D4:71:91:3E:E4:A2:CE:2E");
  g_assert_cmpstr (hail_sdp_media_get_attribute (m, "file-transfer-id"), ==,
                   "vBnG916bdberum2fFEABR1FR3ExZMUrd");
  g_assert_cmpstr (hail_sdp_media_get_attribute (m, "file-disposition"), ==, "attachment");
  /* RFC 5547 attributes Hail does not interpret stay verbatim. */
  g_assert_cmpstr (hail_sdp_media_get_attribute (m, "file-date"), ==,
                   "creation:\"Mon, 15 May 2006 15:01:31 +0300\"");
}

static void
test_msrp_malformed (void)
{
  static const char * const bad_selectors[] = {
    "name:noquotes", "name:\"open", "name:\"a\"b\"", "size:12x", "size:1 size:2",
    "hash:sha-1:7", "hash:sha-1:72:2", "hash::72", "type:image", "colour:red",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_selectors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSdpFileSelector) sel = hail_sdp_file_selector_parse (bad_selectors[i],
                                                                         &error);

      if (sel != NULL)
        g_error ("accepted %s", bad_selectors[i]);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) path = hail_sdp_msrp_path_parse ("msrp://a:1/x;tcp http://b/", &error);

    g_assert_null (path);
    g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  }
}

static void
test_msrp_builder (void)
{
  const char * const path[] = { "msrp://192.0.2.1:2855/s1;tcp", "msrp://192.0.2.9:2855/r;tcp",
                                NULL };
  const char * const types[] = { "message/cpim", "text/plain", NULL };
  const char * const wrapped[] = { "*", NULL };
  HailSdpFileSelector sel = { (char *) "notes 1.txt", (char *) "text/plain", 1234,
                              (char *) "sha-256", (char *) "AB:CD" };
  g_autoptr(HailSdpSession) s = hail_sdp_session_new (NULL, 1, 1, "192.0.2.1");
  g_autoptr(HailSdpSession) back = NULL;
  g_autoptr(HailSdpFileSelector) sel_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) path_back = NULL;
  HailSdpMedia *m = hail_sdp_session_add_media (s, "message", 2855, "TCP/MSRP");
  const HailSdpMedia *mb;
  HailSdpSetup setup;
  HailSdpConnectionMode mode;

  hail_sdp_media_add_format (m, "*");
  hail_sdp_media_set_accept_types (m, types);
  hail_sdp_media_set_accept_wrapped_types (m, wrapped);
  hail_sdp_media_set_max_size (m, 1 << 20);
  hail_sdp_media_set_msrp_path (m, path);
  hail_sdp_media_set_setup (m, HAIL_SDP_SETUP_ACTIVE);
  hail_sdp_media_set_setup (m, HAIL_SDP_SETUP_ACTPASS);
  hail_sdp_media_set_connection_mode (m, HAIL_SDP_CONNECTION_MODE_EXISTING);
  hail_sdp_media_set_file_selector (m, &sel);
  hail_sdp_media_set_file_transfer_id (m, "ft1");
  hail_sdp_media_set_file_disposition (m, "render");
  hail_sdp_media_set_direction (m, HAIL_SDP_DIRECTION_SENDONLY);

  text = hail_sdp_session_to_string (s);
  g_assert_nonnull (strstr (text, "a=file-selector:name:\"notes 1.txt\" type:text/plain "
                                  "size:1234 hash:sha-256:AB:CD\r\n"));
  g_assert_nonnull (strstr (text, "a=setup:actpass\r\na=connection:existing\r\n"));
  back = hail_sdp_session_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  mb = hail_sdp_session_get_media (back, 0);
  path_back = hail_sdp_media_dup_msrp_path (mb);
  g_assert_cmpstrv (path_back, path);
  sel_back = hail_sdp_media_dup_file_selector (mb);
  g_assert_cmpstr (sel_back->name, ==, "notes 1.txt");
  g_assert_cmpint (sel_back->size, ==, 1234);
  g_assert_true (hail_sdp_media_get_setup (mb, &setup));
  g_assert_cmpint (setup, ==, HAIL_SDP_SETUP_ACTPASS);
  g_assert_true (hail_sdp_media_get_connection_mode (mb, &mode));
  g_assert_cmpint (mode, ==, HAIL_SDP_CONNECTION_MODE_EXISTING);
  g_assert_cmpint (hail_sdp_media_get_direction (back, mb), ==, HAIL_SDP_DIRECTION_SENDONLY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/sdp/attributes/rtpmap", test_rtpmap);
  g_test_add_func ("/sip/sdp/attributes/rtpmap-static-fallback", test_rtpmap_static_fallback);
  g_test_add_func ("/sip/sdp/attributes/rtpmap-malformed", test_rtpmap_malformed);
  g_test_add_func ("/sip/sdp/attributes/fmtp-lookup", test_fmtp_lookup);
  g_test_add_func ("/sip/sdp/attributes/ptime", test_ptime);
  g_test_add_func ("/sip/sdp/attributes/direction", test_direction);
  g_test_add_func ("/sip/sdp/attributes/rtcp", test_rtcp);
  g_test_add_func ("/sip/sdp/attributes/crypto-parse", test_crypto_parse);
  g_test_add_func ("/sip/sdp/attributes/crypto-unknown-suite-and-session-params",
                   test_crypto_unknown_suite_and_session_params);
  g_test_add_func ("/sip/sdp/attributes/crypto-malformed", test_crypto_malformed);
  g_test_add_func ("/sip/sdp/attributes/crypto-generate-and-format",
                   test_crypto_generate_and_format);
  g_test_add_func ("/sip/sdp/attributes/msrp-chat", test_msrp_chat);
  g_test_add_func ("/sip/sdp/attributes/msrp-file-transfer", test_msrp_file_transfer);
  g_test_add_func ("/sip/sdp/attributes/msrp-malformed", test_msrp_malformed);
  g_test_add_func ("/sip/sdp/attributes/msrp-builder", test_msrp_builder);
  return g_test_run ();
}
