/* test-msrp-sdp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SDP of message sessions: what we offer and answer reads back the
 * same; peers' sections we cannot use are refused with a reason.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-sdp.h"
#include "hail-sip-error.h"

#define PATH "msrp://127.0.0.1:4000/abcd1234;tcp"

static GBytes *
sdp_from (const char *media_lines)
{
  g_autofree char *text =
    g_strdup_printf ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                     "t=0 0\r\n%s", media_lines);

  return g_bytes_new (text, strlen (text));
}

static void
test_offer_reads_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) offer = hail_msrp_sdp_write (PATH, HAIL_SDP_SETUP_ACTPASS,
                                                 HAIL_MSRP_SDP_SENDRECV, 1024 * 1024, NULL,
                                                 NULL, &error);
  g_autoptr(HailMsrpSdpMedia) media = NULL;
  const char *text;

  g_assert_no_error (error);
  text = g_bytes_get_data (offer, NULL);
  g_assert_nonnull (strstr (text, "m=message 4000 TCP/MSRP *\r\n"));
  g_assert_nonnull (strstr (text, "a=accept-types:message/cpim text/plain\r\n"));
  g_assert_nonnull (strstr (text, "a=setup:actpass\r\n"));
  g_assert_true (hail_msrp_sdp_is_message_session (offer));
  media = hail_msrp_sdp_read (offer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (media->path[0], ==, PATH);
  g_assert_null (media->path[1]);
  g_assert_false (media->secure);
  g_assert_true (media->has_setup);
  g_assert_cmpint (media->setup, ==, HAIL_SDP_SETUP_ACTPASS);
  g_assert_cmpuint (media->max_size, ==, 1024 * 1024);
  g_assert_cmpint (media->direction, ==, HAIL_MSRP_SDP_SENDRECV);
  g_assert_null (media->file);
}

static void
test_file_offer_reads_back (void)
{
  HailSdpFileSelector file = {
    (char *) "r%C3%A9sum%C3%A9.pdf", (char *) "application/pdf", 123456, (char *) "sha-1",
    (char *) "72:24:5F:E8:65:3D:DA:F3:71:36:2F:86:D4:71:91:3E:E4:A2:CE:2E"
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) offer = hail_msrp_sdp_write (PATH, HAIL_SDP_SETUP_ACTPASS,
                                                 HAIL_MSRP_SDP_SENDONLY, 0, &file, "tid42",
                                                 &error);
  g_autoptr(HailMsrpSdpMedia) media = NULL;

  g_assert_no_error (error);
  media = hail_msrp_sdp_read (offer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (media->direction, ==, HAIL_MSRP_SDP_SENDONLY);
  g_assert_nonnull (media->file);
  g_assert_cmpstr (media->file->name, ==, file.name);
  g_assert_cmpstr (media->file->type, ==, "application/pdf");
  g_assert_cmpint (media->file->size, ==, 123456);
  g_assert_cmpstr (media->file->hash, ==, file.hash);
  g_assert_cmpstr (media->file_transfer_id, ==, "tid42");
  g_assert_cmpstr (media->accept_types[0], ==, "*");
}

/* RFC 5547 §9: a resumed offer says where it starts; a range past the
 * file, or none, means the whole file. */
static void
test_file_range (void)
{
  HailSdpFileSelector file = {
    (char *) "a.bin", (char *) "application/octet-stream", 5000, (char *) "sha-1",
    (char *) "72:24"
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) resumed = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(HailMsrpSdpMedia) media = NULL;
  g_autoptr(HailMsrpSdpMedia) plain = NULL;
  gsize len;
  const char *text;

  resumed = hail_msrp_sdp_write_full (PATH, HAIL_SDP_SETUP_ACTPASS, HAIL_MSRP_SDP_SENDONLY, 0,
                                      &file, "tid", NULL, 1025, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (resumed, &len);
  g_assert_nonnull (g_strstr_len (text, (gssize) len, "a=file-range:1025-5000\r\n"));
  media = hail_msrp_sdp_read (resumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (media->file_range_start, ==, 1025);

  /* 1 (or 0) writes no range; a reader without one starts from byte 1. */
  whole = hail_msrp_sdp_write_full (PATH, HAIL_SDP_SETUP_ACTPASS, HAIL_MSRP_SDP_SENDONLY, 0,
                                    &file, "tid", NULL, 1, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (whole, &len);
  g_assert_null (g_strstr_len (text, (gssize) len, "file-range"));
  plain = hail_msrp_sdp_read (whole, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->file_range_start, ==, 1);
}

/* a=file-range values: what RFC 5547 allows, and what it does not. */
static void
test_file_range_values (void)
{
  const char *good[] = { "1-*", "1025-5000", "7-7" };
  const char *bad[] = { "0-10", "10-9", "-5", "5-", "a-b", "5", "1-2-3", "18446744073709551616-*" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (_hail_sdp_msrp_validate ("file-range", good[i], &error));
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("a=file-range:%s", bad[i]);
      g_assert_false (_hail_sdp_msrp_validate ("file-range", bad[i], &error));
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
}

static void
test_answer_roles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = hail_msrp_sdp_write (PATH, HAIL_SDP_SETUP_ACTIVE,
                                                  HAIL_MSRP_SDP_RECVONLY, 0, NULL, NULL, &error);
  g_autoptr(HailMsrpSdpMedia) media = NULL;

  g_assert_no_error (error);
  media = hail_msrp_sdp_read (answer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (media->setup, ==, HAIL_SDP_SETUP_ACTIVE);
  g_assert_cmpint (media->direction, ==, HAIL_MSRP_SDP_RECVONLY);
}

/* RFC 6135 §4.1: without a=setup the offerer is taken as active. */
static void
test_setup_default_active (void)
{
  g_autoptr(GBytes) sdp = sdp_from ("m=message 4000 TCP/MSRP *\r\n"
                                    "a=accept-types:text/plain\r\n"
                                    "a=path:" PATH "\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSdpMedia) media = hail_msrp_sdp_read (sdp, &error);

  g_assert_no_error (error);
  g_assert_false (media->has_setup);
  g_assert_cmpint (media->setup, ==, HAIL_SDP_SETUP_ACTIVE);
}

static void
expect_unusable (const char *media_lines,
                 gint        code,
                 const char *words)
{
  g_autoptr(GBytes) sdp = sdp_from (media_lines);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSdpMedia) media = hail_msrp_sdp_read (sdp, &error);

  g_assert_null (media);
  g_assert_error (error, HAIL_SIP_ERROR, code);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_refusals (void)
{
  expect_unusable ("m=audio 4000 RTP/AVP 0\r\n", HAIL_SIP_ERROR_UNSUPPORTED, "m=message");
  expect_unusable ("m=message 0 TCP/MSRP *\r\na=path:" PATH "\r\n", HAIL_SIP_ERROR_UNSUPPORTED,
                   "m=message");
  expect_unusable ("m=message 4000 TCP/MSRP *\r\na=accept-types:text/plain\r\n",
                   HAIL_SIP_ERROR_UNSUPPORTED, "a=path");
  expect_unusable ("m=message 4000 UDP/MSRP *\r\na=accept-types:text/plain\r\n"
                   "a=path:" PATH "\r\n", HAIL_SIP_ERROR_UNSUPPORTED, "UDP/MSRP");
  expect_unusable ("m=message 4000 TCP/MSRP *\r\na=accept-types:image/png\r\n"
                   "a=path:" PATH "\r\n", HAIL_SIP_ERROR_UNSUPPORTED, "text/plain");
  expect_unusable ("m=message 4000 TCP/MSRP *\r\na=accept-types:text/plain\r\n"
                   "a=path:msrp://10.0.0.1:2855/relay;udp " PATH "\r\n",
                   HAIL_SIP_ERROR_UNSUPPORTED, "not over TCP");
}

/* RFC 4976 §6: a path through the peer's relay is read whole, and ours
 * is written with the relay first in c= and m=. */
static void
test_relay_path (void)
{
  g_autoptr(GBytes) sdp = sdp_from ("m=message 4000 TCP/MSRP *\r\na=accept-types:text/plain\r\n"
                                    "a=path:msrps://10.0.0.1:2855/relay;tcp " PATH "\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSdpMedia) media = hail_msrp_sdp_read (sdp, &error);
  g_autoptr(GBytes) ours = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (media->path), ==, 2);
  g_assert_cmpstr (media->path[1], ==, PATH);
  ours = hail_msrp_sdp_write_full ("msrps://10.0.0.1:2855/relay;tcp " PATH,
                                   HAIL_SDP_SETUP_ACTPASS, HAIL_MSRP_SDP_SENDRECV, 0, NULL, NULL,
                                   NULL, 1, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours));
  g_assert_nonnull (strstr (text, "c=IN IP4 10.0.0.1\r\n"));
  g_assert_nonnull (strstr (text, "m=message 2855 TCP/MSRP *\r\n"));
  g_assert_nonnull (strstr (text, "a=path:msrps://10.0.0.1:2855/relay;tcp " PATH "\r\n"));
}

/* A usable section after an unusable one is still found. */
static void
test_second_section (void)
{
  g_autoptr(GBytes) sdp = sdp_from ("m=message 4000 UDP/MSRP *\r\n"
                                    "m=message 4000 TCP/MSRP *\r\n"
                                    "a=accept-types:*\r\n"
                                    "a=path:" PATH "\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSdpMedia) media = hail_msrp_sdp_read (sdp, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (media->path[0], ==, PATH);
}

static void
test_is_message_session (void)
{
  g_autoptr(GBytes) audio_too = sdp_from ("m=audio 4002 RTP/AVP 0\r\n"
                                          "m=message 4000 TCP/MSRP *\r\n"
                                          "a=path:" PATH "\r\n");
  g_autoptr(GBytes) audio_off = sdp_from ("m=audio 0 RTP/AVP 0\r\n"
                                          "m=message 4000 TCP/MSRP *\r\n"
                                          "a=path:" PATH "\r\n");
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not sdp", 7);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  g_assert_false (hail_msrp_sdp_is_message_session (audio_too));
  g_assert_true (hail_msrp_sdp_is_message_session (audio_off));
  g_assert_false (hail_msrp_sdp_is_message_session (garbage));
  g_assert_false (hail_msrp_sdp_is_message_session (empty));
  g_assert_false (hail_msrp_sdp_is_message_session (NULL));
}

static void
test_write_needs_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sdp = hail_msrp_sdp_write ("not a path", HAIL_SDP_SETUP_ACTPASS,
                                               HAIL_MSRP_SDP_SENDRECV, 0, NULL, NULL, &error);

  g_assert_null (sdp);
  g_assert_nonnull (error);
}

#define SPATH "msrps://127.0.0.1:4001/abcd1234;tcp"
#define FP256 "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:" \
              "3F:82:18:3B:54:02:12:DF"
#define FP384 "sha-384 " \
              "01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:" \
              "19:1A:1B:1C:1D:1E:1F:20:21:22:23:24:25:26:27:28:29:2A:2B:2C:2D:2E:2F:30"
#define FP1 "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB"
#define TLS_MEDIA "m=message 4001 TCP/TLS/MSRP *\r\na=accept-types:text/plain\r\n" \
                  "a=path:" SPATH "\r\n"

static void
test_fingerprint_reads_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) offer = hail_msrp_sdp_write_full (SPATH, HAIL_SDP_SETUP_ACTPASS,
                                                      HAIL_MSRP_SDP_SENDRECV, 0, NULL, NULL,
                                                      FP256, 0, &error);
  g_autoptr(HailMsrpSdpMedia) media = NULL;
  const char *text;

  g_assert_no_error (error);
  text = g_bytes_get_data (offer, NULL);
  g_assert_nonnull (strstr (text, "m=message 4001 TCP/TLS/MSRP *\r\n"));
  g_assert_nonnull (strstr (text, "a=fingerprint:" FP256 "\r\n"));
  media = hail_msrp_sdp_read (offer, &error);
  g_assert_no_error (error);
  g_assert_true (media->secure);
  g_assert_cmpstr (media->fingerprint, ==, FP256);
}

typedef struct {
  const char *lines;       /* after t= */
  const char *fingerprint; /* expected, or NULL */
  const char *error;       /* part of the error, or NULL */
} FingerprintCase;

static void
test_fingerprint_choice (void)
{
  static const FingerprintCase cases[] = {
    /* Session level, when the section has none (RFC 8122 §5). */
    { "a=fingerprint:" FP256 "\r\n" TLS_MEDIA, FP256, NULL },
    /* The section's own wins over the session's. */
    { "a=fingerprint:" FP384 "\r\n" TLS_MEDIA "a=fingerprint:" FP256 "\r\n", FP256, NULL },
    /* Of several, the strongest hash; a weak one beside is passed over. */
    { TLS_MEDIA "a=fingerprint:" FP1 "\r\na=fingerprint:" FP256 "\r\n"
      "a=fingerprint:" FP384 "\r\n", FP384, NULL },
    /* None: verified against CAs later. */
    { TLS_MEDIA, NULL, NULL },
    /* Only a weak or broken one: refused, not ignored. */
    { TLS_MEDIA "a=fingerprint:" FP1 "\r\n", NULL, "too weak" },
    { TLS_MEDIA "a=fingerprint:sha-256 4A:AD\r\n", NULL, "hex pairs" },
    { TLS_MEDIA "a=fingerprint\r\n", NULL, "fingerprint" },
    /* Plain TCP has nothing to pin. */
    { "m=message 4000 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:" PATH "\r\n"
      "a=fingerprint:" FP1 "\r\n", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) sdp = sdp_from (cases[i].lines);
      g_autoptr(GError) error = NULL;
      g_autoptr(HailMsrpSdpMedia) media = hail_msrp_sdp_read (sdp, &error);

      g_test_message ("case %u", i);
      if (cases[i].error != NULL)
        {
          g_assert_null (media);
          g_assert_true (error->domain == HAIL_SIP_ERROR);
          g_assert_nonnull (strstr (error->message, cases[i].error));
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (media->fingerprint, ==, cases[i].fingerprint);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/msrp-sdp/offer-reads-back", test_offer_reads_back);
  g_test_add_func ("/sip/msrp-sdp/file-offer-reads-back", test_file_offer_reads_back);
  g_test_add_func ("/sip/msrp-sdp/answer-roles", test_answer_roles);
  g_test_add_func ("/sip/msrp-sdp/file-range", test_file_range);
  g_test_add_func ("/sip/msrp-sdp/file-range-values", test_file_range_values);
  g_test_add_func ("/sip/msrp-sdp/setup-default-active", test_setup_default_active);
  g_test_add_func ("/sip/msrp-sdp/refusals", test_refusals);
  g_test_add_func ("/sip/msrp-sdp/relay-path", test_relay_path);
  g_test_add_func ("/sip/msrp-sdp/second-section", test_second_section);
  g_test_add_func ("/sip/msrp-sdp/is-message-session", test_is_message_session);
  g_test_add_func ("/sip/msrp-sdp/write-needs-port", test_write_needs_port);
  g_test_add_func ("/sip/msrp-sdp/fingerprint-reads-back", test_fingerprint_reads_back);
  g_test_add_func ("/sip/msrp-sdp/fingerprint-choice", test_fingerprint_choice);

  return g_test_run ();
}
