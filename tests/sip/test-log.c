/* test-log.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SIP log redactor: credentials out, everything else as it was.
 */
#include "config.h"

#include "hail-sip-log.h"

#include <string.h>

#define RESPONSE "6629fae49393a05397450978507c4ef1"

static char *
redact (const char *msg)
{
  return hail_sip_log_redact (msg, strlen (msg));
}

static void
test_redacts_authorization (void)
{
  const char *msg =
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKPj9c2d7e1f0a3b4c5d6e\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Authorization: Digest username=\"alice\", realm=\"example.com\", "
    "nonce=\"Z1x2c3V4b5N6m7Q8w9E0r1T2y3U4i5O6p7A8s9D0\", uri=\"sip:example.com\", "
    "response=\"" RESPONSE "\", algorithm=MD5, cnonce=\"0a4f113b7c2e9d61\", "
    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001\r\n"
    "Content-Length: 0\r\n"
    "\r\n";
  g_autofree char *out = redact (msg);

  g_assert_cmpstr (out, ==,
                   "REGISTER sip:example.com SIP/2.0\r\n"
                   "Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKPj9c2d7e1f0a3b4c5d6e\r\n"
                   "CSeq: 2 REGISTER\r\n"
                   "Authorization: Digest username=\"alice\", realm=\"example.com\", "
                   "uri=\"sip:example.com\", [credentials redacted]\r\n"
                   "Content-Length: 0\r\n"
                   "\r\n");
}

/* Any case, blanks before the colon (RFC 3261 HCOLON), folded lines. */
static void
test_redacts_proxy_authorization_folded (void)
{
  const char *msg =
    "INVITE sip:bob@example.test SIP/2.0\r\n"
    "proxy-AUTHORIZATION \t: Digest username=\"bob\",\r\n"
    " realm=\"example.test\", nonce=\"n\", uri=\"sip:bob@example.test\",\r\n"
    "\tresponse=\"" RESPONSE "\"\r\n"
    "Max-Forwards: 70\r\n"
    "\r\n";
  g_autofree char *out = redact (msg);

  g_assert_cmpstr (out, ==,
                   "INVITE sip:bob@example.test SIP/2.0\r\n"
                   "proxy-AUTHORIZATION \t: Digest username=\"bob\", realm=\"example.test\", "
                   "uri=\"sip:bob@example.test\", [credentials redacted]\r\n"
                   "Max-Forwards: 70\r\n"
                   "\r\n");
}

/* Two credentials headers (two proxies), bare LF line ends. */
static void
test_redacts_every_header (void)
{
  const char *msg =
    "MESSAGE sip:bob@example.test SIP/2.0\n"
    "Proxy-Authorization: Digest username=\"a\", realm=\"p1\", nonce=\"1\", uri=\"u\", "
    "response=\"" RESPONSE "\"\n"
    "Proxy-Authorization: Digest username=\"a\", realm=\"p2\", nonce=\"2\", uri=\"u\", "
    "response=\"ffffffffffffffffffffffffffffffff\"\n"
    "\n"
    "hello";
  g_autofree char *out = redact (msg);

  g_assert_null (strstr (out, RESPONSE));
  g_assert_null (strstr (out, "ffffffff"));
  g_assert_cmpstr (out, ==,
                   "MESSAGE sip:bob@example.test SIP/2.0\n"
                   "Proxy-Authorization: Digest username=\"a\", realm=\"p1\", uri=\"u\", "
                   "[credentials redacted]\n"
                   "Proxy-Authorization: Digest username=\"a\", realm=\"p2\", uri=\"u\", "
                   "[credentials redacted]\n"
                   "\n"
                   "hello");
}

/* What we cannot read is dropped whole, but for its scheme. */
static void
test_redacts_unreadable (void)
{
  g_autofree char *basic = redact ("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n");
  g_autofree char *broken = redact ("Authorization: Digest response=\"" RESPONSE "\r\n");
  g_autofree char *empty = redact ("Authorization:\r\n");
  g_autofree char *truncated = redact ("Authorization: Digest username=\"a\", realm=\"r\", "
                                       "response=\"" RESPONSE);

  g_assert_cmpstr (basic, ==, "Authorization: Basic [credentials redacted]\r\n");
  g_assert_cmpstr (broken, ==, "Authorization: Digest [credentials redacted]\r\n");
  g_assert_cmpstr (empty, ==, "Authorization: [credentials redacted]\r\n");
  g_assert_cmpstr (truncated, ==, "Authorization: Digest [credentials redacted]");
}

/* Headers that only look alike, and challenges (no secret), stay as they are. */
static void
test_other_headers_unchanged (void)
{
  const char *msg =
    "SIP/2.0 401 Unauthorized\r\n"
    "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n"
    "Authentication-Info: nextnonce=\"x\"\r\n"
    "X-Authorization: secret\r\n"
    "AuthorizationX: secret\r\n"
    "Subject: Authorization: none\r\n"
    "\r\n";
  g_autofree char *out = redact (msg);

  g_assert_cmpstr (out, ==, msg);
}

/* A NOTIFY's message/sipfrag body may quote a request with its credentials. */
static void
test_redacts_sipfrag_body (void)
{
  const char *msg =
    "NOTIFY sip:alice@127.0.0.1 SIP/2.0\r\n"
    "Content-Type: message/sipfrag\r\n"
    "\r\n"
    "INVITE sip:carol@example.test SIP/2.0\r\n"
    "Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", "
    "response=\"" RESPONSE "\"";
  g_autofree char *out = redact (msg);

  g_assert_cmpstr (out, ==,
                   "NOTIFY sip:alice@127.0.0.1 SIP/2.0\r\n"
                   "Content-Type: message/sipfrag\r\n"
                   "\r\n"
                   "INVITE sip:carol@example.test SIP/2.0\r\n"
                   "Authorization: Digest username=\"a\", realm=\"r\", uri=\"u\", "
                   "[credentials redacted]");
}

/* Kept values are written back quoted and escaped, so a crafted user name
 * cannot make the line read as something else. */
static void
test_kept_values_escaped (void)
{
  g_autofree char *out = redact ("Authorization: Digest username=\"a\\\"b\", realm=\"r\", "
                                 "nonce=\"n\", uri=\"u\", response=\"" RESPONSE "\"\r\n");

  g_assert_cmpstr (out, ==, "Authorization: Digest username=\"a\\\"b\", realm=\"r\", uri=\"u\", "
                            "[credentials redacted]\r\n");
}

/* Control bytes and invalid UTF-8 are escaped; valid UTF-8 is kept. */
static void
test_escapes_control_bytes (void)
{
  static const char msg[] = "MESSAGE sip:b SIP/2.0\r\n\r\n"
                            "h\xc3\xa9llo\t\x1b[31m\0\xff\r\xc2\x85!\n";
  g_autofree char *out = hail_sip_log_redact (msg, sizeof msg - 1);

  g_assert_cmpstr (out, ==,
                   "MESSAGE sip:b SIP/2.0\r\n\r\n"
                   "h\xc3\xa9llo\t\\x1b[31m\\x00\\xff\\x0d\\xc2\\x85!\n");
}

static void
test_bounded (void)
{
  gsize len = HAIL_SIP_LOG_MAX_LEN + 100;
  g_autofree char *msg = g_malloc (len);
  g_autofree char *out = NULL;

  memset (msg, 'a', len);
  out = hail_sip_log_redact (msg, len);
  g_assert_cmpuint (strlen (out), <, HAIL_SIP_LOG_MAX_LEN + 64);
  g_assert_true (g_str_has_suffix (out, "\n[100 more bytes not shown]"));
}

static void
test_empty (void)
{
  g_autofree char *out = hail_sip_log_redact (NULL, 0);

  g_assert_cmpstr (out, ==, "");
}

static void
test_message_logs_redacted (void)
{
  const char *msg = "REGISTER sip:r SIP/2.0\r\n"
                    "Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\", "
                    "uri=\"sip:r\", response=\"" RESPONSE "\"\r\n\r\n";

  g_log_set_debug_enabled (TRUE);
  g_test_expect_message ("hail-sip", G_LOG_LEVEL_DEBUG,
                         "Sent * bytes to udp 127.0.0.1:5060\nREGISTER sip:r SIP/2.0\r\n"
                         "Authorization: Digest username=\"alice\", realm=\"r\", uri=\"sip:r\", "
                         "[credentials redacted]\r\n\r\n");
  hail_sip_log_message (TRUE, "udp", "127.0.0.1:5060", msg, strlen (msg));
  g_test_assert_expected_messages ();

  g_test_expect_message ("hail-sip", G_LOG_LEVEL_DEBUG, "Received 3 bytes from tls [::1]:5061\n"
                         "\\x00\\x01\\x02");
  hail_sip_log_message (FALSE, "tls", "[::1]:5061", "\0\1\2", 3);
  g_test_assert_expected_messages ();
  g_log_set_debug_enabled (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/log/redacts-authorization", test_redacts_authorization);
  g_test_add_func ("/sip/log/redacts-proxy-authorization-folded",
                   test_redacts_proxy_authorization_folded);
  g_test_add_func ("/sip/log/redacts-every-header", test_redacts_every_header);
  g_test_add_func ("/sip/log/redacts-unreadable", test_redacts_unreadable);
  g_test_add_func ("/sip/log/redacts-sipfrag-body", test_redacts_sipfrag_body);
  g_test_add_func ("/sip/log/kept-values-escaped", test_kept_values_escaped);
  g_test_add_func ("/sip/log/other-headers-unchanged", test_other_headers_unchanged);
  g_test_add_func ("/sip/log/escapes-control-bytes", test_escapes_control_bytes);
  g_test_add_func ("/sip/log/bounded", test_bounded);
  g_test_add_func ("/sip/log/empty", test_empty);
  g_test_add_func ("/sip/log/message-logs-redacted", test_message_logs_redacted);
  return g_test_run ();
}
