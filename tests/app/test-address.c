/* test-address.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-address.h"

#include <string.h>

typedef struct {
  const char *text;
  const char *default_host;
  const char *user;
  const char *host;
  guint port;
  guint effective_port;
  HailAddressTransport transport;
  gboolean explicit_transport;
  const char *uri;
} ParseCase;

static void
check_parse (const ParseCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAddress) a = hail_address_parse (c->text, c->default_host, &error);
  g_autofree char *uri = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpstr (hail_address_get_user (a), ==, c->user);
  g_assert_cmpstr (hail_address_get_host (a), ==, c->host);
  g_assert_cmpuint (hail_address_get_port (a), ==, c->port);
  g_assert_cmpuint (hail_address_get_effective_port (a), ==, c->effective_port);
  g_assert_cmpint (hail_address_get_transport (a), ==, c->transport);
  g_assert_cmpint (hail_address_has_transport (a), ==, c->explicit_transport);
  uri = hail_address_to_uri (a);
  g_assert_cmpstr (uri, ==, c->uri);
}

static void
check_error (const char       *text,
             const char       *default_host,
             HailAddressError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAddress) a = hail_address_parse (text, default_host, &error);

  g_assert_null (a);
  g_assert_error (error, HAIL_ADDRESS_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
test_bare (void)
{
  ParseCase c = { "alice@example.test", NULL, "alice", "example.test", 0, 5060,
                  HAIL_ADDRESS_TRANSPORT_UDP, FALSE, "sip:alice@example.test" };
  check_parse (&c);
}

static void
test_port_transport (void)
{
  ParseCase c = { "sip:alice@host:5070;transport=tcp", NULL, "alice", "host", 5070, 5070,
                  HAIL_ADDRESS_TRANSPORT_TCP, TRUE, "sip:alice@host:5070;transport=tcp" };
  check_parse (&c);
}

static void
test_sips (void)
{
  ParseCase c = { "sips:bob@Example.TEST", NULL, "bob", "example.test", 0, 5061,
                  HAIL_ADDRESS_TRANSPORT_TLS, TRUE, "sips:bob@example.test" };
  g_autoptr(HailAddress) a = hail_address_parse ("sips:bob@example.test", NULL, NULL);

  check_parse (&c);
  g_assert_true (hail_address_is_secure (a));
}

static void
test_sips_tcp (void)
{
  ParseCase c = { "sips:bob@example.test;transport=tcp", NULL, "bob", "example.test", 0, 5061,
                  HAIL_ADDRESS_TRANSPORT_TLS, TRUE, "sips:bob@example.test" };
  check_parse (&c);
}

static void
test_scheme_case (void)
{
  ParseCase c = { "SIP:carol@127.0.0.1:25060;TRANSPORT=UDP", NULL, "carol", "127.0.0.1", 25060,
                  25060, HAIL_ADDRESS_TRANSPORT_UDP, TRUE,
                  "sip:carol@127.0.0.1:25060;transport=udp" };
  check_parse (&c);
}

static void
test_name_addr (void)
{
  ParseCase c = { "  \"Alice Smith\" <sip:alice@example.test>  ", NULL, "alice", "example.test",
                  0, 5060, HAIL_ADDRESS_TRANSPORT_UDP, FALSE, "sip:alice@example.test" };
  check_parse (&c);
}

static void
test_ipv6 (void)
{
  ParseCase c = { "sip:dave@[2001:DB8::1]:5062", NULL, "dave", "2001:db8::1", 5062, 5062,
                  HAIL_ADDRESS_TRANSPORT_UDP, FALSE, "sip:dave@[2001:db8::1]:5062" };
  check_parse (&c);
}

static void
test_escaped_user (void)
{
  ParseCase c = { "sip:first%20last@example.test", NULL, "first last", "example.test", 0, 5060,
                  HAIL_ADDRESS_TRANSPORT_UDP, FALSE, "sip:first%20last@example.test" };
  check_parse (&c);
}

static void
test_other_params_and_headers (void)
{
  ParseCase c = { "sip:erin@example.test;lr;maddr=10.0.0.1?subject=hi", NULL, "erin",
                  "example.test", 0, 5060, HAIL_ADDRESS_TRANSPORT_UDP, FALSE,
                  "sip:erin@example.test" };
  check_parse (&c);
}

static void
test_default_host (void)
{
  ParseCase c = { "1234", "pbx.example.test", "1234", "pbx.example.test", 0, 5060,
                  HAIL_ADDRESS_TRANSPORT_UDP, FALSE, "sip:1234@pbx.example.test" };
  check_parse (&c);
}

static void
test_tel (void)
{
  g_autoptr(HailAddress) bare = hail_address_parse ("tel:+1-555-(0100)", NULL, NULL);
  g_autoptr(HailAddress) hosted = hail_address_parse ("tel:+15550100", "example.test", NULL);
  g_autofree char *bare_uri = NULL;
  g_autofree char *hosted_uri = NULL;

  g_assert_nonnull (bare);
  g_assert_true (hail_address_is_phone_number (bare));
  g_assert_cmpstr (hail_address_get_user (bare), ==, "+15550100");
  g_assert_null (hail_address_get_host (bare));
  bare_uri = hail_address_to_uri (bare);
  g_assert_cmpstr (bare_uri, ==, "tel:+15550100");
  hosted_uri = hail_address_to_uri (hosted);
  g_assert_cmpstr (hosted_uri, ==, "sip:+15550100@example.test;user=phone");
}

static void
test_errors (void)
{
  g_autofree char *long_text = g_strnfill (HAIL_ADDRESS_MAX_LENGTH + 1, 'a');

  check_error ("", NULL, HAIL_ADDRESS_ERROR_EMPTY);
  check_error ("   ", NULL, HAIL_ADDRESS_ERROR_EMPTY);
  check_error (NULL, NULL, HAIL_ADDRESS_ERROR_EMPTY);
  check_error (long_text, NULL, HAIL_ADDRESS_ERROR_TOO_LONG);
  check_error ("<sip:alice@example.test", NULL, HAIL_ADDRESS_ERROR_MALFORMED);
  check_error ("http://example.test", NULL, HAIL_ADDRESS_ERROR_BAD_SCHEME);
  check_error ("sip:alice:secret@example.test", NULL, HAIL_ADDRESS_ERROR_HAS_PASSWORD);
  check_error ("alice:secret@example.test", NULL, HAIL_ADDRESS_ERROR_HAS_PASSWORD);
  check_error ("@example.test", NULL, HAIL_ADDRESS_ERROR_NO_USER);
  check_error ("example.test", NULL, HAIL_ADDRESS_ERROR_NO_USER);
  check_error ("alice", NULL, HAIL_ADDRESS_ERROR_NO_HOST);
  check_error ("alice@", NULL, HAIL_ADDRESS_ERROR_NO_HOST);
  check_error ("alice smith@example.test", NULL, HAIL_ADDRESS_ERROR_BAD_USER);
  check_error ("al\"ice@example.test", NULL, HAIL_ADDRESS_ERROR_BAD_USER);
  check_error ("alice%0@example.test", NULL, HAIL_ADDRESS_ERROR_BAD_USER);
  check_error ("alice%00@example.test", NULL, HAIL_ADDRESS_ERROR_BAD_USER);
  check_error ("alice@exa_mple.test", NULL, HAIL_ADDRESS_ERROR_BAD_HOST);
  check_error ("alice@-example.test", NULL, HAIL_ADDRESS_ERROR_BAD_HOST);
  check_error ("alice@example..test", NULL, HAIL_ADDRESS_ERROR_BAD_HOST);
  check_error ("alice@2001:db8::1", NULL, HAIL_ADDRESS_ERROR_BAD_HOST);
  check_error ("alice@[example.test]", NULL, HAIL_ADDRESS_ERROR_BAD_HOST);
  check_error ("alice@example.test:0", NULL, HAIL_ADDRESS_ERROR_BAD_PORT);
  check_error ("alice@example.test:65536", NULL, HAIL_ADDRESS_ERROR_BAD_PORT);
  check_error ("alice@example.test:50a", NULL, HAIL_ADDRESS_ERROR_BAD_PORT);
  check_error ("alice@example.test:", NULL, HAIL_ADDRESS_ERROR_BAD_PORT);
  check_error ("alice@example.test;transport=sctp", NULL, HAIL_ADDRESS_ERROR_BAD_TRANSPORT);
  check_error ("sips:alice@example.test;transport=udp", NULL, HAIL_ADDRESS_ERROR_BAD_TRANSPORT);
  check_error ("tel:", NULL, HAIL_ADDRESS_ERROR_NO_USER);
  check_error ("tel:+1-555-CALL", NULL, HAIL_ADDRESS_ERROR_BAD_USER);
}

static void
test_invalid_utf8_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAddress) a = hail_address_parse ("alice@ex\xff\xfe.test", NULL, &error);

  g_assert_null (a);
  g_assert_error (error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_HOST);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_transport_names (void)
{
  HailAddressTransport t;

  g_assert_true (hail_address_transport_from_string ("TlS", &t));
  g_assert_cmpint (t, ==, HAIL_ADDRESS_TRANSPORT_TLS);
  g_assert_false (hail_address_transport_from_string ("ws", &t));
  g_assert_cmpstr (hail_address_transport_to_string (HAIL_ADDRESS_TRANSPORT_TCP), ==, "TCP");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/address/bare", test_bare);
  g_test_add_func ("/app/address/port-and-transport", test_port_transport);
  g_test_add_func ("/app/address/sips", test_sips);
  g_test_add_func ("/app/address/sips-over-tcp", test_sips_tcp);
  g_test_add_func ("/app/address/scheme-case", test_scheme_case);
  g_test_add_func ("/app/address/name-addr", test_name_addr);
  g_test_add_func ("/app/address/ipv6", test_ipv6);
  g_test_add_func ("/app/address/escaped-user", test_escaped_user);
  g_test_add_func ("/app/address/other-params-and-headers", test_other_params_and_headers);
  g_test_add_func ("/app/address/default-host", test_default_host);
  g_test_add_func ("/app/address/tel", test_tel);
  g_test_add_func ("/app/address/errors", test_errors);
  g_test_add_func ("/app/address/invalid-utf8-message", test_invalid_utf8_message);
  g_test_add_func ("/app/address/transport-names", test_transport_names);

  return g_test_run ();
}
