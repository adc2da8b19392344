/* test-header.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-header.h"

static void
via_ok (HailSipVia *via,
        const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_sip_via_parse (via, text, strlen (text), &error));
  g_assert_no_error (error);
}

static void
via_bad (const char *text)
{
  g_autoptr(GError) error = NULL;
  HailSipVia via;

  g_assert_false (hail_sip_via_parse (&via, text, strlen (text), &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_header_via_full (void)
{
  HailSipVia via;
  HailSipSpan value;

  via_ok (&via, "SIP/2.0/UDP 192.0.2.10:5060;rport=5061;received=203.0.113.77;"
          "branch=z9hG4bK776;maddr=224.2.0.1;ttl=16;x-extra=1");
  g_assert_true (hail_sip_span_equal_str (via.protocol_name, "SIP"));
  g_assert_true (hail_sip_span_equal_str (via.protocol_version, "2.0"));
  g_assert_true (hail_sip_span_equal_str (via.transport, "UDP"));
  g_assert_true (hail_sip_span_equal_str (via.host, "192.0.2.10"));
  g_assert_cmpuint (via.port, ==, 5060);
  g_assert_true (via.has_rport);
  g_assert_cmpuint (via.rport, ==, 5061);
  g_assert_true (hail_sip_span_equal_str (via.received, "203.0.113.77"));
  g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK776"));
  g_assert_true (hail_sip_span_equal_str (via.maddr, "224.2.0.1"));
  g_assert_cmpint (via.ttl, ==, 16);
  g_assert_true (hail_sip_params_lookup (via.params, "X-EXTRA", &value));
  g_assert_true (hail_sip_span_equal_str (value, "1"));
}

static void
test_header_via_rport_without_value (void)
{
  HailSipVia via;

  via_ok (&via, "SIP/2.0/TCP client.example.com;rport;branch=z9hG4bKx");
  g_assert_true (via.has_rport);
  g_assert_cmpuint (via.rport, ==, 0);
  g_assert_cmpuint (via.port, ==, 0);
  g_assert_cmpint (via.ttl, ==, -1);
  via_ok (&via, "SIP/2.0/TCP client.example.com;branch=z9hG4bKx");
  g_assert_false (via.has_rport);
}

static void
test_header_via_ipv6 (void)
{
  HailSipVia via;

  via_ok (&via, "SIP/2.0/TLS [2001:db8::9:1]:5061;branch=z9hG4bKa;received=[2001:db8::9:255]");
  g_assert_true (via.host_is_ipv6);
  g_assert_true (hail_sip_span_equal_str (via.host, "2001:db8::9:1"));
  g_assert_cmpuint (via.port, ==, 5061);
  g_assert_true (hail_sip_span_equal_str (via.received, "[2001:db8::9:255]"));
}

static void
test_header_via_whitespace (void)
{
  HailSipVia via;

  /* RFC 4475 wsinv: LWS around '/', ';' and '=', folded lines. */
  via_ok (&via, "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
  g_assert_true (hail_sip_span_equal_str (via.transport, "UDP"));
  g_assert_true (hail_sip_span_equal_str (via.branch, "390skdjuw"));
  via_ok (&via, "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8");
  g_assert_true (hail_sip_span_equal_str (via.host, "spindle.example.com"));
  g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK9ikj8"));
}

static void
test_header_via_without_branch (void)
{
  HailSipVia via;

  /* RFC 2543 peers (RFC 4475 inv2543). */
  via_ok (&via, "SIP/2.0/UDP iftgw.example.com");
  g_assert_false (hail_sip_span_present (via.branch));
  g_assert_false (hail_sip_span_present (via.params));
}

static void
test_header_empty_params (void)
{
  HailSipVia via;

  /* Tolerated: an empty parameter followed by a real one. */
  via_ok (&via, "SIP/2.0/UDP 192.0.2.1:5060;;branch=z9hG4bKabc");
  g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bKabc"));
  via_ok (&via, "SIP/2.0/UDP 192.0.2.1;rport;;;branch=z9hG4bKabc");
  g_assert_true (via.has_rport);
  /* Refused: trailing empty parameters (RFC 4475 badinv01). */
  via_bad ("SIP/2.0/UDP 192.0.2.15;;");
  via_bad ("SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKa;");
}

static void
test_header_via_invalid (void)
{
  via_bad ("");
  via_bad ("garbage here");
  via_bad ("SIP/2.0 192.0.2.1");
  via_bad ("SIP/2.0/UDP");
  via_bad ("SIP/2.0/UDP192.0.2.1");
  via_bad ("SIP/2.0/UDP 192.0.2.1:70000");
  via_bad ("SIP/2.0/UDP 192.0.2.1;branch");
  via_bad ("SIP/2.0/UDP 192.0.2.1;rport=0");
  via_bad ("SIP/2.0/UDP 192.0.2.1;ttl=256");
  via_bad ("SIP/2.0/UDP 192.0.2.1;branch=\"unterminated");
  via_bad ("SIP/2.0/UDP 192.0.2.1 extra");
}

static void
addr_ok (HailSipNameAddr *addr,
         const char      *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_sip_name_addr_parse (addr, text, strlen (text), &error));
  g_assert_no_error (error);
}

static void
addr_bad (const char *text,
          const char *message)
{
  g_autoptr(GError) error = NULL;
  HailSipNameAddr addr;

  g_assert_false (hail_sip_name_addr_parse (&addr, text, strlen (text), &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_header_name_addr_quoted (void)
{
  HailSipNameAddr addr;
  g_autofree char *name = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  gsize len = 0;

  addr_ok (&addr, "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n"
           "  ;\r\n  tag = 98asjd8");
  name = hail_sip_name_addr_dup_display_name (&addr, &len);
  g_assert_cmpstr (name, ==, "J Rosenberg \\\"");
  g_assert_true (addr.bracketed);
  g_assert_true (hail_sip_span_equal_str (addr.tag, "98asjd8"));
  uri = hail_sip_name_addr_get_uri (&addr);
  g_assert_cmpstr (hail_sip_uri_get_user (uri, NULL), ==, "jdrosen");
}

static void
test_header_name_addr_nul_in_display (void)
{
  /* RFC 4475 intmeth: quoted-pairs of BEL, NUL and DEL. */
  static const char text[] = "\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\" <sip:a@example.com>";
  g_autoptr(GError) error = NULL;
  HailSipNameAddr addr;
  g_autofree char *name = NULL;
  gsize len = 0;

  g_assert_true (hail_sip_name_addr_parse (&addr, text, sizeof text - 1, &error));
  g_assert_no_error (error);
  name = hail_sip_name_addr_dup_display_name (&addr, &len);
  g_assert_cmpuint (len, ==, 17);
  g_assert_cmpmem (name, len, "BEL:\x07 NUL:\0 DEL:\x7f", 17);
}

static void
test_header_name_addr_tokens (void)
{
  HailSipNameAddr addr;
  g_autofree char *name = NULL;
  g_autofree char *glued = NULL;

  addr_ok (&addr, "A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe");
  name = hail_sip_name_addr_dup_display_name (&addr, NULL);
  g_assert_cmpstr (name, ==, "A. Bell");
  /* RFC 4475 lwsdisp: a token display name glued to '<'. */
  addr_ok (&addr, "caller<sip:caller@example.com>;tag=323");
  glued = hail_sip_name_addr_dup_display_name (&addr, NULL);
  g_assert_cmpstr (glued, ==, "caller");
  g_assert_true (hail_sip_span_equal_str (addr.tag, "323"));
}

static void
test_header_name_addr_addr_spec (void)
{
  HailSipNameAddr addr;
  HailSipSpan value;

  /* RFC 4475 cparam01: outside <>, ';' starts header parameters. */
  addr_ok (&addr, "sip:+19725552222@gw1.example.net;unknownparam");
  g_assert_false (addr.bracketed);
  g_assert_null (addr.display_name.ptr);
  g_assert_true (hail_sip_span_equal_str (addr.uri, "sip:+19725552222@gw1.example.net"));
  g_assert_true (hail_sip_params_lookup (addr.params, "unknownparam", &value));
  g_assert_null (value.ptr);
  /* cparam02: inside <>, the same is a URI parameter. */
  addr_ok (&addr, "<sip:+19725552222@gw1.example.net;unknownparam>");
  g_assert_false (hail_sip_span_present (addr.params));
  g_assert_true (hail_sip_span_equal_str (addr.uri_view.params, "unknownparam"));
}

static void
test_header_name_addr_contact_params (void)
{
  HailSipNameAddr addr;
  HailSipSpan value;
  g_autofree char *instance = NULL;
  guint32 expires = 0;
  guint q = 0;

  addr_ok (&addr, "<sip:alice@192.0.2.10:5060;ob>;expires=3600;q=0.7;reg-id=1;"
           "+sip.instance=\"<urn:uuid:4f8b1c2e-3a5d>\";methods=\"INVITE, MESSAGE\"");
  g_assert_true (hail_sip_name_addr_get_expires (&addr, &expires));
  g_assert_cmpuint (expires, ==, 3600);
  g_assert_true (hail_sip_name_addr_get_q (&addr, &q));
  g_assert_cmpuint (q, ==, 700);
  g_assert_true (hail_sip_params_lookup (addr.params, "+sip.instance", &value));
  instance = hail_sip_unquote (value, NULL);
  g_assert_cmpstr (instance, ==, "<urn:uuid:4f8b1c2e-3a5d>");
  g_assert_true (hail_sip_params_lookup (addr.params, "methods", &value));
  g_assert_true (hail_sip_span_equal_str (value, "\"INVITE, MESSAGE\""));
}

static void
test_header_name_addr_overlarge_expires (void)
{
  HailSipNameAddr addr;
  guint32 expires = 7;

  /* RFC 4475 scalar02: reads as absent, the caller applies its default. */
  addr_ok (&addr, "<sip:user@host129.example.com>\r\n  ;expires=280297596632815");
  g_assert_false (hail_sip_name_addr_get_expires (&addr, &expires));
  g_assert_cmpuint (expires, ==, 7);
}

static void
test_header_name_addr_wildcard (void)
{
  HailSipNameAddr addr;

  addr_ok (&addr, " * ");
  g_assert_true (addr.wildcard);
  g_assert_null (hail_sip_name_addr_get_uri (&addr));
}

static void
test_header_name_addr_invalid (void)
{
  addr_bad ("\"Mr. J. User <sip:j.user@example.com>", "unterminated quoted display name");
  addr_bad ("Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
            "display name is neither tokens nor a quoted string");
  addr_bad ("\"Watson, Thomas\" < sip:t.watson@example.org >", "space inside <>");
  addr_bad ("sip:user@example.com?Route=%3Csip:sip.example.com%3E",
            "a URI with headers must be inside <>");
  addr_bad ("<sip:alice@example.com;tag=1", "'<' without '>'");
  addr_bad ("\"Joe\" <sip:joe@example.org>;;;;", "empty parameter");
  addr_bad ("<sip:a@example.com>;tag", "bad tag parameter");
  addr_bad ("<sip:a@example.com> junk", NULL);
  addr_bad ("", NULL);
  addr_bad ("* x", NULL);
}

static void
test_header_cseq (void)
{
  g_autoptr(GError) error = NULL;
  HailSipCSeq cseq;
  const char *max = "4294967295 INVITE";
  const char *over = "4294967296 INVITE";
  const char *folded = "0009\r\n  INVITE";

  g_assert_true (hail_sip_cseq_parse (&cseq, max, strlen (max), &error));
  g_assert_cmpuint (cseq.number, ==, G_MAXUINT32);
  g_assert_true (hail_sip_span_equal_str (cseq.method, "INVITE"));
  g_assert_true (hail_sip_cseq_parse (&cseq, folded, strlen (folded), &error));
  g_assert_cmpuint (cseq.number, ==, 9);
  g_assert_false (hail_sip_cseq_parse (&cseq, over, strlen (over), &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "number out of range");
  g_clear_error (&error);
  g_assert_false (hail_sip_cseq_parse (&cseq, "abc REGISTER", 12, &error));
  g_assert_cmpstr (error->message, ==, "number missing");
  g_clear_error (&error);
  g_assert_false (hail_sip_cseq_parse (&cseq, "1INVITE", 7, &error));
  g_clear_error (&error);
  g_assert_false (hail_sip_cseq_parse (&cseq, "1 INVITE x", 10, &error));
}

static void
test_header_content_type (void)
{
  g_autoptr(GError) error = NULL;
  HailSipContentType ctype;
  HailSipSpan charset;
  const char *text = "Text / Plain ; charset=UTF-8";

  g_assert_true (hail_sip_content_type_parse (&ctype, text, strlen (text), &error));
  g_assert_true (hail_sip_content_type_is (&ctype, "text", "plain"));
  g_assert_true (hail_sip_content_type_is (&ctype, "text", "*"));
  g_assert_false (hail_sip_content_type_is (&ctype, "application", "sdp"));
  g_assert_true (hail_sip_params_lookup (ctype.params, "charset", &charset));
  g_assert_true (hail_sip_span_equal_str (charset, "UTF-8"));
  g_assert_false (hail_sip_content_type_parse (&ctype, "text", 4, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_header_lookup_compact (void)
{
  static const struct { const char *name; HailSipHeaderId id; } names[] = {
    { "v", HAIL_SIP_HEADER_VIA }, { "f", HAIL_SIP_HEADER_FROM }, { "T", HAIL_SIP_HEADER_TO },
    { "i", HAIL_SIP_HEADER_CALL_ID }, { "m", HAIL_SIP_HEADER_CONTACT },
    { "k", HAIL_SIP_HEADER_SUPPORTED }, { "c", HAIL_SIP_HEADER_CONTENT_TYPE },
    { "l", HAIL_SIP_HEADER_CONTENT_LENGTH }, { "s", HAIL_SIP_HEADER_SUBJECT },
    { "e", HAIL_SIP_HEADER_CONTENT_ENCODING }, { "o", HAIL_SIP_HEADER_EVENT },
    { "u", HAIL_SIP_HEADER_ALLOW_EVENTS }, { "r", HAIL_SIP_HEADER_REFER_TO },
    { "b", HAIL_SIP_HEADER_REFERRED_BY }, { "x", HAIL_SIP_HEADER_SESSION_EXPIRES },
    { "y", HAIL_SIP_HEADER_IDENTITY }, { "z", HAIL_SIP_HEADER_OTHER },
    { "ViA", HAIL_SIP_HEADER_VIA }, { "MaX-fOrWaRdS", HAIL_SIP_HEADER_MAX_FORWARDS },
    { "www-authenticate", HAIL_SIP_HEADER_WWW_AUTHENTICATE }, { "CSEQ", HAIL_SIP_HEADER_CSEQ },
    { "C%6Fntact", HAIL_SIP_HEADER_OTHER }, { "Contact2", HAIL_SIP_HEADER_OTHER },
    { "Record-Route", HAIL_SIP_HEADER_RECORD_ROUTE }, { "", HAIL_SIP_HEADER_OTHER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpint (hail_sip_header_lookup (names[i].name, strlen (names[i].name)), ==,
                     names[i].id);
  for (guint id = 1; id < HAIL_SIP_HEADER_N_IDS; id++)
    {
      const char *name = hail_sip_header_get_name (id);

      g_assert_cmpint (hail_sip_header_lookup (name, strlen (name)), ==, id);
    }
}

static void
test_header_param_iter (void)
{
  HailSipVia via;
  HailSipParamIter iter;
  HailSipSpan name, value;
  guint n = 0;

  via_ok (&via, "SIP/2.0/UDP h;a;b=1;;c=\"x;y\"");
  hail_sip_param_iter_init (&iter, via.params);
  while (hail_sip_param_iter_next (&iter, &name, &value))
    {
      const char *names[] = { "a", "b", "c" };

      g_assert_true (hail_sip_span_equal_str (name, names[n]));
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (hail_sip_params_lookup (via.params, "c", &value));
  g_assert_true (hail_sip_span_equal_str (value, "\"x;y\""));
}

static void
test_header_name_addr_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse ("sip:alice@example.com;transport=tcp", -1,
                                                  &error);
  g_autofree char *text = hail_sip_name_addr_format ("Al \"The\" \\Cat\r\n", uri, "tag=9");
  g_autofree char *bare = hail_sip_name_addr_format (NULL, uri, NULL);
  g_autofree char *name = NULL;
  HailSipNameAddr addr;

  g_assert_cmpstr (text, ==,
                   "\"Al \\\"The\\\" \\\\Cat  \" <sip:alice@example.com;transport=tcp>;tag=9");
  g_assert_cmpstr (bare, ==, "<sip:alice@example.com;transport=tcp>");
  g_clear_pointer (&bare, g_free);
  bare = hail_sip_name_addr_format ("bell\x07", uri, NULL);
  g_assert_cmpstr (bare, ==, "\"bell\\\x07\" <sip:alice@example.com;transport=tcp>");
  /* What is written reads back the same. */
  addr_ok (&addr, text);
  name = hail_sip_name_addr_dup_display_name (&addr, NULL);
  g_assert_cmpstr (name, ==, "Al \"The\" \\Cat  ");
  g_assert_true (hail_sip_span_equal_str (addr.tag, "9"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/header/via-full", test_header_via_full);
  g_test_add_func ("/sip/header/via-rport-without-value", test_header_via_rport_without_value);
  g_test_add_func ("/sip/header/via-ipv6", test_header_via_ipv6);
  g_test_add_func ("/sip/header/via-whitespace", test_header_via_whitespace);
  g_test_add_func ("/sip/header/via-without-branch", test_header_via_without_branch);
  g_test_add_func ("/sip/header/empty-params", test_header_empty_params);
  g_test_add_func ("/sip/header/via-invalid", test_header_via_invalid);
  g_test_add_func ("/sip/header/name-addr-quoted", test_header_name_addr_quoted);
  g_test_add_func ("/sip/header/name-addr-nul-in-display", test_header_name_addr_nul_in_display);
  g_test_add_func ("/sip/header/name-addr-tokens", test_header_name_addr_tokens);
  g_test_add_func ("/sip/header/name-addr-addr-spec", test_header_name_addr_addr_spec);
  g_test_add_func ("/sip/header/name-addr-contact-params", test_header_name_addr_contact_params);
  g_test_add_func ("/sip/header/name-addr-overlarge-expires",
                   test_header_name_addr_overlarge_expires);
  g_test_add_func ("/sip/header/name-addr-wildcard", test_header_name_addr_wildcard);
  g_test_add_func ("/sip/header/name-addr-invalid", test_header_name_addr_invalid);
  g_test_add_func ("/sip/header/cseq", test_header_cseq);
  g_test_add_func ("/sip/header/content-type", test_header_content_type);
  g_test_add_func ("/sip/header/lookup-compact", test_header_lookup_compact);
  g_test_add_func ("/sip/header/param-iter", test_header_param_iter);
  g_test_add_func ("/sip/header/name-addr-format", test_header_name_addr_format);
  return g_test_run ();
}
