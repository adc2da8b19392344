/* test-uri.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-uri.h"

static HailSipUri *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  HailSipUri *uri = hail_sip_uri_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uri);
  return uri;
}

static void
test_uri_sip_parts (void)
{
  g_autoptr(HailSipUri) uri = parse_ok ("sip:alice:secret@Example.COM:5070;transport=tcp;lr"
                                        "?subject=hi%20there&priority=urgent");
  gsize len = 0;
  g_autofree char *transport = NULL;
  g_autofree char *lr = NULL;
  g_autofree char *subject = NULL;

  g_assert_cmpint (hail_sip_uri_get_scheme (uri), ==, HAIL_SIP_URI_SCHEME_SIP);
  g_assert_cmpstr (hail_sip_uri_get_user (uri, &len), ==, "alice");
  g_assert_cmpuint (len, ==, 5);
  g_assert_cmpstr (hail_sip_uri_get_password (uri, NULL), ==, "secret");
  g_assert_cmpstr (hail_sip_uri_get_host (uri), ==, "Example.COM");
  g_assert_cmpuint (hail_sip_uri_get_port (uri), ==, 5070);
  g_assert_cmpstr (hail_sip_uri_get_params (uri), ==, "transport=tcp;lr");
  transport = hail_sip_uri_dup_param (uri, "TRANSPORT", NULL);
  g_assert_cmpstr (transport, ==, "tcp");
  lr = hail_sip_uri_dup_param (uri, "lr", NULL);
  g_assert_cmpstr (lr, ==, "");
  g_assert_false (hail_sip_uri_has_param (uri, "maddr"));
  subject = hail_sip_uri_dup_header (uri, "Subject", NULL);
  g_assert_cmpstr (subject, ==, "hi there");
}

static void
test_uri_ipv6_host (void)
{
  g_autoptr(HailSipUri) uri = parse_ok ("sips:[2001:db8::10]:5061");

  g_assert_cmpint (hail_sip_uri_get_scheme (uri), ==, HAIL_SIP_URI_SCHEME_SIPS);
  g_assert_null (hail_sip_uri_get_user (uri, NULL));
  g_assert_cmpstr (hail_sip_uri_get_host (uri), ==, "2001:db8::10");
  g_assert_true (hail_sip_uri_host_is_ipv6 (uri));
  g_assert_cmpuint (hail_sip_uri_get_port (uri), ==, 5061);
  g_assert_cmpstr (hail_sip_uri_to_string (uri), ==, "sips:[2001:db8::10]:5061");
}

static void
test_uri_unescape_once (void)
{
  /* RFC 4475 esc01: v%61lue%25%34%31 is value%41, never valueA. */
  g_autoptr(HailSipUri) uri = parse_ok ("sip:cal%6Cer@host5.example.net;%6C%72;"
                                        "n%61me=v%61lue%25%34%31");
  g_autofree char *name = hail_sip_uri_dup_param (uri, "name", NULL);

  g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "caller");
  g_assert_true (hail_sip_uri_has_param (uri, "lr"));
  g_assert_cmpstr (name, ==, "value%41");
}

static void
test_uri_escaped_nul (void)
{
  /* RFC 4475 escnull: lengths, not C strings. */
  g_autoptr(HailSipUri) one = parse_ok ("sip:null-%00-null@example.com");
  g_autoptr(HailSipUri) two = parse_ok ("sip:null-%00-other@example.com");
  gsize len = 0;
  const char *user = hail_sip_uri_get_user (one, &len);

  g_assert_cmpuint (len, ==, 11);
  g_assert_cmpmem (user, len, "null-\0-null", 11);
  g_assert_false (hail_sip_uri_equal (one, two));
}

static void
test_uri_semicolon_in_user (void)
{
  /* RFC 4475 semiuri: params start after the host. */
  g_autoptr(HailSipUri) uri = parse_ok ("sip:user;par=u%40example.net@example.com");

  g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "user;par=u@example.net");
  g_assert_cmpstr (hail_sip_uri_get_host (uri), ==, "example.com");
  g_assert_null (hail_sip_uri_get_params (uri));
}

static void
test_uri_tel (void)
{
  g_autoptr(HailSipUri) global = parse_ok ("tel:+1-201-555-0123");
  g_autoptr(HailSipUri) local = parse_ok ("tel:7042;phone-context=example.com");
  g_autoptr(HailSipUri) plain = parse_ok ("tel:+12015550123");
  g_autofree char *context = hail_sip_uri_dup_param (local, "phone-context", NULL);

  g_assert_cmpint (hail_sip_uri_get_scheme (global), ==, HAIL_SIP_URI_SCHEME_TEL);
  g_assert_true (hail_sip_uri_is_global_number (global));
  g_assert_false (hail_sip_uri_is_global_number (local));
  g_assert_cmpstr (hail_sip_uri_get_user (local, NULL), ==, "7042");
  g_assert_cmpstr (context, ==, "example.com");
  g_assert_null (hail_sip_uri_get_host (global));
  g_assert_true (hail_sip_uri_equal (global, plain));
  g_assert_false (hail_sip_uri_equal (global, local));
  g_assert_cmpstr (hail_sip_uri_to_string (local), ==, "tel:7042;phone-context=example.com");
}

static void
test_uri_opaque_schemes (void)
{
  /* RFC 4475 unkscm, novelsc, unksm2 */
  const char *texts[] = {
    "nobodyKnowsThisScheme:totallyopaquecontent", "soap.beep://192.0.2.103:3002",
    "isbn:2983792873", "http://www.example.com", "name:John_Smith",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(HailSipUri) uri = parse_ok (texts[i]);
      const char *colon = strchr (texts[i], ':');

      g_assert_cmpint (hail_sip_uri_get_scheme (uri), ==, HAIL_SIP_URI_SCHEME_OTHER);
      g_assert_cmpstr (hail_sip_uri_get_opaque (uri), ==, colon + 1);
    }
}

static void
test_uri_invalid (void)
{
  const char *texts[] = {
    "", "sip:", "sip:user@", "sip:@host", "sip:host:0", "sip:host:65536", "sip:ho st",
    "sip:host;", "sip:host;=x", "sip:host;a=", "sip:host?x", "sip:[::1", "sip:[]",
    "sip:us%2er@host%", "sip:user@host>", "tel:", "tel:+", "tel:+12a4", "nocolon",
    "1sip:host", "x:", "x:a b", "sip:host:99999999999",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipUri) uri = hail_sip_uri_parse (texts[i], -1, &error);

      g_assert_null (uri);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
      g_assert_true (g_str_has_prefix (error->message, "invalid URI: "));
    }
}

static void
test_uri_too_many_params (void)
{
  g_autoptr(GString) text = g_string_new ("sip:host");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = NULL;

  for (guint i = 0; i < 65; i++)
    g_string_append_printf (text, ";p%u", i);
  uri = hail_sip_uri_parse (text->str, -1, &error);
  g_assert_null (uri);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_uri_write_round_trip (void)
{
  const char *texts[] = {
    "sip:alice@atlanta.com", "SIP:bob:pw@[::1]:5060;transport=TCP?h=v",
    "sips:carol@chicago.com;lr", "tel:+1-201-555-0123;ext=5", "urn:uuid:f81d4fae",
    "sip:%61lice@example.com", "sip:user;par=u%40example.net@example.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(HailSipUri) uri = parse_ok (texts[i]);
      g_autoptr(HailSipUri) again = parse_ok (hail_sip_uri_to_string (uri));

      g_assert_true (hail_sip_uri_equal (uri, again));
      g_assert_cmpstr (hail_sip_uri_to_string (uri), ==, hail_sip_uri_to_string (again));
    }
}

static void
test_uri_new_from_parts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = hail_sip_uri_new (HAIL_SIP_URI_SCHEME_SIP, "al ice@home", "::1",
                                                5060, &error);
  g_autoptr(HailSipUri) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (hail_sip_uri_to_string (uri), ==, "sip:al%20ice%40home@[::1]:5060");
  g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "al ice@home");
  bad = hail_sip_uri_new (HAIL_SIP_URI_SCHEME_SIP, NULL, "bad host", 0, &error);
  g_assert_null (bad);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

/* RFC 3261 §19.1.4: the equivalent pairs. */
static void
test_uri_compare_equal (void)
{
  const char *pairs[][2] = {
    { "sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp" },
    { "sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5" },
    { "sip:carol@chicago.com", "sip:carol@chicago.com;security=on" },
    { "sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on" },
    { "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
      "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com" },
    { "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
      "sip:alice@atlanta.com?priority=urgent&subject=project%20x" },
    { "SIP:alice@atlanta.com", "sip:alice@atlanta.com" },
    { "sip:alice@atlanta.com;%6C%72", "sip:alice@atlanta.com;lr" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(HailSipUri) a = parse_ok (pairs[i][0]);
      g_autoptr(HailSipUri) b = parse_ok (pairs[i][1]);

      g_assert_true (hail_sip_uri_equal (a, b));
      g_assert_true (hail_sip_uri_equal (b, a));
    }
}

/* RFC 3261 §19.1.4: the non-equivalent pairs, plus sip vs sips. */
static void
test_uri_compare_not_equal (void)
{
  const char *pairs[][2] = {
    { "SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP" },
    { "sip:bob@biloxi.com", "sip:bob@biloxi.com:5060" },
    { "sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp" },
    { "sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp" },
    { "sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting" },
    { "sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4" },
    { "sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off" },
    { "sip:alice@atlanta.com", "sips:alice@atlanta.com" },
    { "sip:alice:a@atlanta.com", "sip:alice:b@atlanta.com" },
    { "sip:alice@atlanta.com;maddr=239.255.255.1", "sip:alice@atlanta.com" },
    { "urn:a", "urn:b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(HailSipUri) a = parse_ok (pairs[i][0]);
      g_autoptr(HailSipUri) b = parse_ok (pairs[i][1]);

      g_assert_false (hail_sip_uri_equal (a, b));
      g_assert_false (hail_sip_uri_equal (b, a));
    }
}

static void
test_uri_view_zero_copy (void)
{
  const char *text = "sip:bob@198.51.100.20:5060;transport=udp";
  g_autoptr(GError) error = NULL;
  HailSipUriView view;

  g_assert_true (hail_sip_uri_view_parse (&view, text, strlen (text), &error));
  g_assert_no_error (error);
  g_assert_true (view.host.ptr == text + 8);
  g_assert_true (hail_sip_span_equal_str (view.host, "198.51.100.20"));
  g_assert_true (hail_sip_span_equal_str (view.user, "bob"));
  g_assert_true (hail_sip_span_equal_str (view.params, "transport=udp"));
  g_assert_cmpuint (view.port, ==, 5060);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/uri/sip-parts", test_uri_sip_parts);
  g_test_add_func ("/sip/uri/ipv6-host", test_uri_ipv6_host);
  g_test_add_func ("/sip/uri/unescape-once", test_uri_unescape_once);
  g_test_add_func ("/sip/uri/escaped-nul", test_uri_escaped_nul);
  g_test_add_func ("/sip/uri/semicolon-in-user", test_uri_semicolon_in_user);
  g_test_add_func ("/sip/uri/tel", test_uri_tel);
  g_test_add_func ("/sip/uri/opaque-schemes", test_uri_opaque_schemes);
  g_test_add_func ("/sip/uri/invalid", test_uri_invalid);
  g_test_add_func ("/sip/uri/too-many-params", test_uri_too_many_params);
  g_test_add_func ("/sip/uri/write-round-trip", test_uri_write_round_trip);
  g_test_add_func ("/sip/uri/new-from-parts", test_uri_new_from_parts);
  g_test_add_func ("/sip/uri/compare-equal", test_uri_compare_equal);
  g_test_add_func ("/sip/uri/compare-not-equal", test_uri_compare_not_equal);
  g_test_add_func ("/sip/uri/view-zero-copy", test_uri_view_zero_copy);
  return g_test_run ();
}
