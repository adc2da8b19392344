/* test-media-stream-config.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-stream-config.h"

static HailMediaStreamConfig *
valid_config (void)
{
  return hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "192.0.2.1", 4000);
}

static void
test_defaults (void)
{
  g_autoptr(HailMediaStreamConfig) config =
    hail_media_stream_config_new (HAIL_MEDIA_CODEC_G722, 9, "192.0.2.1", 4000);
  g_autoptr(GError) error = NULL;

  /* RFC 3551: G.722's RTP clock is 8000 although it samples at 16 kHz. */
  g_assert_cmpuint (config->clock_rate, ==, 8000);
  g_assert_cmpuint (hail_media_codec_get_decoded_rate (HAIL_MEDIA_CODEC_G722), ==, 16000);
  g_assert_cmpuint (config->ptime, ==, 20);
  g_assert_cmpint (config->telephone_event_pt, ==, -1);
  g_assert_cmpint (config->direction, ==, HAIL_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (hail_media_stream_config_validate (config, &error));
  g_assert_no_error (error);
}

static void
test_encoding_names (void)
{
  HailMediaCodec codec;

  g_assert_true (hail_media_codec_from_encoding_name ("OPUS", &codec));
  g_assert_cmpint (codec, ==, HAIL_MEDIA_CODEC_OPUS);
  g_assert_true (hail_media_codec_from_encoding_name ("pcma", &codec));
  g_assert_cmpint (codec, ==, HAIL_MEDIA_CODEC_PCMA);
  g_assert_false (hail_media_codec_from_encoding_name ("G729", &codec));
  g_assert_cmpstr (hail_media_codec_to_encoding_name (HAIL_MEDIA_CODEC_OPUS), ==, "opus");
  g_assert_cmpuint (hail_media_codec_get_clock_rate (HAIL_MEDIA_CODEC_OPUS), ==, 48000);
}

static void
test_srtp_suites (void)
{
  HailMediaSrtpSuite suite;

  g_assert_true (hail_media_srtp_suite_from_name ("AES_CM_128_HMAC_SHA1_32", &suite));
  g_assert_cmpint (suite, ==, HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
  g_assert_false (hail_media_srtp_suite_from_name ("AEAD_AES_256_GCM", &suite));
  g_assert_false (hail_media_srtp_suite_from_name ("NONE", &suite));
  g_assert_cmpstr (hail_media_srtp_suite_to_name (HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80),
                   ==, "AES_CM_128_HMAC_SHA1_80");
}

static void
test_set_srtp_checks_keys (void)
{
  g_autoptr(HailMediaStreamConfig) config = valid_config ();
  g_autoptr(GBytes) good = g_bytes_new_static ("0123456789abcdef0123456789abcd", 30);
  g_autoptr(GBytes) short_key = g_bytes_new_static ("0123456789", 10);
  g_autoptr(GError) error = NULL;

  g_assert_false (hail_media_stream_config_set_srtp (config, "AES_CM_128_HMAC_SHA1_80",
                                                     good, short_key, &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
  g_assert_cmpint (config->srtp_suite, ==, HAIL_MEDIA_SRTP_SUITE_NONE);
  g_clear_error (&error);
  g_assert_false (hail_media_stream_config_set_srtp (config, "F8_128_HMAC_SHA1_80",
                                                     good, good, &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (hail_media_stream_config_set_srtp (config, "AES_CM_128_HMAC_SHA1_80",
                                                    good, good, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_stream_config_validate (config, &error));
}

typedef void (*Breaker) (HailMediaStreamConfig *config);

static void break_pt (HailMediaStreamConfig *c) { c->payload_type = 128; }
static void break_clock (HailMediaStreamConfig *c) { c->clock_rate = 16000; }
static void break_channels (HailMediaStreamConfig *c) { c->channels = 6; }
static void break_ptime (HailMediaStreamConfig *c) { c->ptime = 500; }
static void break_te (HailMediaStreamConfig *c) { c->telephone_event_pt = 0; }
static void break_te_range (HailMediaStreamConfig *c) { c->telephone_event_pt = 300; }
static void break_port (HailMediaStreamConfig *c) { c->remote_rtp_port = 0; }
static void break_rtcp_port (HailMediaStreamConfig *c) { c->remote_rtp_port = 65535; }
static void break_direction (HailMediaStreamConfig *c) { c->direction = 7; }
static void break_codec (HailMediaStreamConfig *c) { c->codec = 42; }
static void break_srtp (HailMediaStreamConfig *c)
{
  c->srtp_suite = HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
}
static void break_address (HailMediaStreamConfig *c)
{
  g_free (c->remote_address);
  c->remote_address = g_strdup ("peer.example.org");
}

static void
test_validate_rejects (gconstpointer data)
{
  Breaker breaker = (Breaker) data;
  g_autoptr(HailMediaStreamConfig) config = valid_config ();
  g_autoptr(GError) error = NULL;

  breaker (config);
  g_assert_false (hail_media_stream_config_validate (config, &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
}

static void
test_copy (void)
{
  g_autoptr(HailMediaStreamConfig) config = valid_config ();
  g_autoptr(HailMediaStreamConfig) copy = NULL;
  g_autoptr(GBytes) k = g_bytes_new_static ("0123456789abcdef0123456789abcd", 30);

  config->fmtp = g_strdup ("useinbandfec=1");
  g_assert_true (hail_media_stream_config_set_srtp (config, "AES_CM_128_HMAC_SHA1_32", k, k,
                                                    NULL));
  copy = hail_media_stream_config_copy (config);
  g_assert_true (copy->fmtp != config->fmtp);
  g_assert_cmpstr (copy->fmtp, ==, "useinbandfec=1");
  g_assert_cmpstr (copy->remote_address, ==, "192.0.2.1");
  g_assert_true (g_bytes_equal (copy->srtp_send_key, k));
  g_clear_pointer (&config, hail_media_stream_config_free);
  g_assert_cmpint (copy->srtp_suite, ==, HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    Breaker     breaker;
  } breakers[] = {
    { "payload-type", break_pt },
    { "clock-rate", break_clock },
    { "channels", break_channels },
    { "ptime", break_ptime },
    { "telephone-event-same-pt", break_te },
    { "telephone-event-range", break_te_range },
    { "remote-port", break_port },
    { "remote-rtcp-port", break_rtcp_port },
    { "remote-hostname", break_address },
    { "direction", break_direction },
    { "codec", break_codec },
    { "srtp-without-keys", break_srtp },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/media/stream-config/defaults", test_defaults);
  g_test_add_func ("/media/stream-config/encoding-names", test_encoding_names);
  g_test_add_func ("/media/stream-config/srtp-suites", test_srtp_suites);
  g_test_add_func ("/media/stream-config/set-srtp-checks-keys", test_set_srtp_checks_keys);
  g_test_add_func ("/media/stream-config/copy", test_copy);
  for (guint i = 0; i < G_N_ELEMENTS (breakers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/media/stream-config/rejects-%s",
                                               breakers[i].name);

      g_test_add_data_func (path, (gconstpointer) breakers[i].breaker, test_validate_rejects);
    }
  return g_test_run ();
}
