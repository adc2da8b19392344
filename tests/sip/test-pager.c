/* test-pager.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Instant messages: the CPIM, is-composing and IMDN formats, charset
 * conversion, and HailSipPager against a scripted peer on 127.0.0.1 UDP.
 */
#include "config.h"

#include <string.h>

#include "hail-sip-charset.h"
#include "hail-sip-error.h"
#include "hail-sip-pager.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

#define CPIM_TEXT \
  "From: MR SANDERS <im:piglet@100akerwood.com>\r\n" \
  "To: Depressed Donkey <im:eeyore@100akerwood.com>\r\n" \
  "DateTime: 2000-12-13T13:40:00-08:00\r\n" \
  "Subject: the weather will be fine today\r\n" \
  "NS: im <urn:ietf:params:imdn>\r\n" \
  "im.Message-ID: 34jk324j\r\n" \
  "im.Disposition-Notification: positive-delivery, display\r\n" \
  "\r\n" \
  "Content-Type: text/plain; charset=utf-8\r\n" \
  "Content-ID: <1234567890@foo.com>\r\n" \
  "\r\n" \
  "Here is the text of my message.\r\n"

static void
test_cpim_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (CPIM_TEXT, strlen (CPIM_TEXT), &error);
  gsize len;
  const char *body;

  g_assert_no_error (error);
  g_assert_cmpstr (cpim->from, ==, "MR SANDERS <im:piglet@100akerwood.com>");
  g_assert_cmpstr (cpim->to, ==, "Depressed Donkey <im:eeyore@100akerwood.com>");
  g_assert_cmpstr (cpim->datetime, ==, "2000-12-13T13:40:00-08:00");
  g_assert_cmpstr (cpim->subject, ==, "the weather will be fine today");
  /* The namespace prefix is whatever NS bound, not always "imdn". */
  g_assert_cmpstr (cpim->imdn_message_id, ==, "34jk324j");
  g_assert_cmpint (cpim->disposition, ==, HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY
                                          | HAIL_SIP_CPIM_DISPOSITION_DISPLAY);
  g_assert_cmpstr (cpim->content_type, ==, "text/plain; charset=utf-8");
  body = g_bytes_get_data (cpim->body, &len);
  g_assert_cmpmem (body, len, "Here is the text of my message.\r\n", 33);
}

static void
test_cpim_bare_lf (void)
{
  const char *text = "From: <sip:a@b>\n\nContent-Type: text/plain\n\nhi";
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (cpim->body), ==, 2);
  g_assert_null (cpim->imdn_message_id);
}

static void
test_cpim_malformed (void)
{
  const char *cases[] = {
    "",
    "From: <sip:a@b>\r\n",
    "From <sip:a@b>\r\n\r\nContent-Type: text/plain\r\n\r\nx",
    "From: <sip:a@b>\r\n\r\nContent-ID: <x>\r\n\r\nno type",
    " folded: no\r\n\r\nContent-Type: text/plain\r\n\r\n",
    "Fr\x01om: x\r\n\r\nContent-Type: text/plain\r\n\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (cases[i], strlen (cases[i]), &error);

      g_assert_null (cpim);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
}

static void
test_cpim_bounds (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new ("Subject: ");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipCpim) cpim = NULL;
  g_autofree char *big = g_malloc0 (HAIL_SIP_CPIM_MAX_SIZE + 1);

  for (guint i = 0; i <= HAIL_SIP_CPIM_MAX_HEADERS; i++)
    g_string_append (many, "X: y\r\n");
  g_string_append (many, "\r\nContent-Type: text/plain\r\n\r\n");
  cpim = hail_sip_cpim_parse (many->str, many->len, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  for (guint i = 0; i <= HAIL_SIP_CPIM_MAX_LINE; i++)
    g_string_append_c (line, 'a');
  g_string_append (line, "\r\n\r\nContent-Type: text/plain\r\n\r\n");
  cpim = hail_sip_cpim_parse (line->str, line->len, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  cpim = hail_sip_cpim_parse (big, HAIL_SIP_CPIM_MAX_SIZE + 1, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_cpim_round_trip (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("你好 🎉", strlen ("你好 🎉"));
  g_autoptr(GBytes) out = hail_sip_cpim_write ("<sip:alice@example.test>", "<sip:bob@example.test>",
                                               "abc123",
                                               HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY,
                                               "text/plain;charset=UTF-8", NULL, body);
  gsize len;
  const char *data = g_bytes_get_data (out, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cpim->from, ==, "<sip:alice@example.test>");
  g_assert_cmpstr (cpim->imdn_message_id, ==, "abc123");
  g_assert_cmpint (cpim->disposition, ==, HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY);
  g_assert_true (g_bytes_equal (cpim->body, body));
}

static void
test_iscomposing (void)
{
  const char *doc =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"\n"
    "  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    "  <state>active</state>\n  <contenttype>text/plain</contenttype>\n"
    "  <refresh>90</refresh>\n</isComposing>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipIsComposing) c = hail_sip_iscomposing_parse (doc, strlen (doc), &error);
  g_autoptr(GBytes) idle = hail_sip_iscomposing_write (FALSE, 0);
  g_autoptr(HailSipIsComposing) back = NULL;

  g_assert_no_error (error);
  g_assert_true (c->active);
  g_assert_cmpuint (c->refresh, ==, 90);
  g_assert_cmpstr (c->content_type, ==, "text/plain");

  back = hail_sip_iscomposing_parse (g_bytes_get_data (idle, NULL), g_bytes_get_size (idle),
                                     &error);
  g_assert_no_error (error);
  g_assert_false (back->active);
  g_assert_cmpuint (back->refresh, ==, 0);
}

static void
test_iscomposing_malformed (void)
{
  const char *cases[] = {
    "",
    "<isComposing><state>typing</state></isComposing>",
    "<isComposing></isComposing>",
    "<other><state>active</state></other>",
    "<isComposing><state>active</state><refresh>-1</refresh></isComposing>",
    "<isComposing><state>active</state>",
    "<isComposing><a><a><a><a><a><a><a><a><a></a></a></a></a></a></a></a></a></a>"
      "<state>idle</state></isComposing>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><isComposing>"
      "<state>&e;</state></isComposing>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipIsComposing) c = hail_sip_iscomposing_parse (cases[i], strlen (cases[i]),
                                                                    &error);

      g_assert_null (c);
      g_assert_nonnull (error);
      g_assert_true (error->domain == HAIL_SIP_ERROR);
    }
}

static void
test_imdn (void)
{
  g_autoptr(GBytes) doc = hail_sip_imdn_write ("34jk324j", "2008-04-04T12:16:49-05:00",
                                               "sip:bob@example.test", HAIL_SIP_IMDN_KIND_DISPLAY,
                                               HAIL_SIP_IMDN_STATUS_DISPLAYED);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipImdn) imdn = hail_sip_imdn_parse (g_bytes_get_data (doc, NULL),
                                                     g_bytes_get_size (doc), &error);
  const char *no_id = "<imdn><delivery-notification><status><delivered/></status>"
                      "</delivery-notification></imdn>";
  g_autoptr(HailSipImdn) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (imdn->message_id, ==, "34jk324j");
  g_assert_cmpstr (imdn->datetime, ==, "2008-04-04T12:16:49-05:00");
  g_assert_cmpint (imdn->kind, ==, HAIL_SIP_IMDN_KIND_DISPLAY);
  g_assert_cmpint (imdn->status, ==, HAIL_SIP_IMDN_STATUS_DISPLAYED);

  bad = hail_sip_imdn_parse (no_id, strlen (no_id), &error);
  g_assert_null (bad);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_charset_latin1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = hail_sip_charset_to_utf8 ("caf\xe9", 4, "ISO-8859-1", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "café");
}

static void
test_charset_invalid_replaced (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *utf8 = hail_sip_charset_to_utf8 ("a\xff" "b\0c", 5, NULL, &error);
  g_autofree char *sjis = hail_sip_charset_to_utf8 ("x\x81", 2, "Shift_JIS", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (utf8, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
  g_assert_cmpstr (sjis, ==, "x\xef\xbf\xbd");
  g_assert_true (g_utf8_validate (sjis, -1, NULL));
}

static void
test_charset_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = hail_sip_charset_to_utf8 ("x", 1, "no-such-charset-9", &error);

  g_assert_null (text);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
}

/* The pager against a raw peer. */

typedef struct {
  RawPeer      *peer;
  HailSipStack *stack;
  HailSipPager *pager;
  char         *to;
  gboolean      done;
  gboolean      ok;
  guint         status;
  gboolean      cpim;
  GError       *error;
  GPtrArray    *incoming;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HailSipUri) aor = hail_sip_uri_parse ("sip:alice@example.test", -1, NULL);

  f->peer = raw_peer_new ();
  f->stack = test_stack_new (FALSE);
  f->pager = hail_sip_pager_new (f->stack, NULL, aor, NULL);
  f->to = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                           g_inet_socket_address_get_port (f->peer->address));
  f->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_pager_incoming_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_error (&f->error);
  g_ptr_array_unref (f->incoming);
  g_assert_finalize_object (f->pager);
  g_object_unref (f->stack);
  raw_peer_free (f->peer);
  g_free (f->to);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_sip_pager_send_finish (HAIL_SIP_PAGER (source), result, &f->status, NULL, NULL,
                                      &f->cpim, &f->error);
  f->done = TRUE;
}

static void
send_text (Fixture    *f,
           const char *text,
           gboolean    cpim)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  HailSipPagerOutgoing out = { .to = f->to, .body = body, .cpim = cpim };

  hail_sip_pager_send_async (f->pager, &out, NULL, send_cb, f);
}

static void
test_pager_send (Fixture       *f,
                 gconstpointer  data)
{
  HailSipMessage *request;
  g_autofree char *ctype = NULL;
  HailSipSpan body;

  send_text (f, "你好 🎉", FALSE);
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  request = raw_peer_message (f->peer, 0);
  g_assert_true (hail_sip_message_is_method (request, "MESSAGE"));
  ctype = hail_sip_message_dup_header (request, "Content-Type");
  g_assert_cmpstr (ctype, ==, "text/plain;charset=UTF-8");
  body = hail_sip_message_get_body (request);
  g_assert_cmpmem (body.ptr, body.len, "你好 🎉", strlen ("你好 🎉"));
  raw_peer_reply (f->peer, 0, 200, NULL);
  g_assert_true (hail_test_wait_until (is_done, f, 5000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->status, ==, 200);
}

static void
test_pager_cpim_fallback (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  send_text (f, "hello", TRUE);
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  first = hail_sip_message_dup_header (raw_peer_message (f->peer, 0), "Content-Type");
  g_assert_cmpstr (first, ==, "message/cpim");
  raw_peer_reply (f->peer, 0, 415, "Accept: text/plain\r\n");
  /* The ACK-less non-INVITE needs nothing more: the next datagram is the
   * text/plain MESSAGE with the next CSeq. */
  g_assert_true (raw_peer_wait (f->peer, 2, 5000));
  second = hail_sip_message_dup_header (raw_peer_message (f->peer, 1), "Content-Type");
  g_assert_cmpstr (second, ==, "text/plain;charset=UTF-8");
  g_assert_cmpuint (hail_sip_message_get_cseq (raw_peer_message (f->peer, 1))->number, ==,
                    hail_sip_message_get_cseq (raw_peer_message (f->peer, 0))->number + 1);
  raw_peer_reply (f->peer, 1, 200, NULL);
  g_assert_true (hail_test_wait_until (is_done, f, 5000));
  g_assert_true (f->ok);
  g_assert_false (f->cpim);
}

static void
test_pager_refused (Fixture       *f,
                    gconstpointer  data)
{
  send_text (f, "hello", FALSE);
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  raw_peer_reply (f->peer, 0, 480, NULL);
  g_assert_true (hail_test_wait_until (is_done, f, 5000));
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 480);
  g_assert_cmpstr (f->error->message, ==, "Temporarily Unavailable");
  g_assert_cmpuint (f->status, ==, 480);
}

static void
test_pager_too_long_udp_only (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *text = g_strnfill (1400, 'x');

  hail_sip_pager_set_allow_stream (f->pager, FALSE);
  send_text (f, text, FALSE);
  g_assert_true (hail_test_wait_until (is_done, f, 5000));
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (f->error->message, "too long for this account's transport"));
  g_assert_cmpuint (f->peer->received->len, ==, 0);
}

static gboolean
request_cb (HailSipStack             *stack,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            Fixture                  *f)
{
  HailSipPagerIncoming *in;

  if (txn == NULL || !hail_sip_message_is_method (request, "MESSAGE"))
    return FALSE;
  in = hail_sip_pager_receive (f->pager, txn, request, NULL);
  if (in != NULL)
    g_ptr_array_add (f->incoming, in);
  return TRUE;
}

static void
peer_send_message (Fixture    *f,
                   const char *content_type,
                   const char *body,
                   gsize       len)
{
  GInetSocketAddress *local = hail_sip_stack_get_listen_address (f->stack,
                                                                 HAIL_SIP_TRANSPORT_KIND_UDP);
  g_autofree char *text = NULL;
  g_autofree char *branch = hail_sip_stack_new_branch ();
  g_autofree char *copy = g_strndup (body, len);

  text = g_strdup_printf ("MESSAGE sip:alice@127.0.0.1:%u SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: <sip:bob@example.test>;tag=1\r\n"
                          "To: <sip:alice@example.test>\r\n"
                          "Call-ID: pager-test-1\r\n"
                          "CSeq: 7 MESSAGE\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          g_inet_socket_address_get_port (local),
                          g_inet_socket_address_get_port (f->peer->address), branch,
                          content_type, len, copy);
  raw_peer_send (f->peer, local, text);
}

static void
test_pager_receive_latin1 (Fixture       *f,
                           gconstpointer  data)
{
  HailSipPagerIncoming *in;
  HailSipMessage *response;

  g_signal_connect (f->stack, "request", G_CALLBACK (request_cb), f);
  peer_send_message (f, "text/plain;charset=ISO-8859-1", "caf\xe9", 4);
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  response = raw_peer_message (f->peer, 0);
  g_assert_cmpuint (hail_sip_message_get_status (response), ==, 200);
  g_assert_cmpuint (hail_sip_message_get_n_contacts (response), ==, 0);
  g_assert_cmpuint (hail_sip_message_get_body (response).len, ==, 0);
  g_assert_cmpuint (f->incoming->len, ==, 1);
  in = g_ptr_array_index (f->incoming, 0);
  g_assert_cmpint (in->kind, ==, HAIL_SIP_PAGER_KIND_TEXT);
  g_assert_cmpstr (in->body, ==, "café");
  g_assert_cmpstr (in->from, ==, "sip:bob@example.test");
  g_assert_cmpstr (in->call_id, ==, "pager-test-1");
  g_assert_cmpuint (in->cseq, ==, 7);
}

static void
test_pager_receive_cpim (Fixture       *f,
                         gconstpointer  data)
{
  HailSipPagerIncoming *in;

  g_signal_connect (f->stack, "request", G_CALLBACK (request_cb), f);
  peer_send_message (f, "message/cpim", CPIM_TEXT, strlen (CPIM_TEXT));
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (f->peer, 0)), ==, 200);
  in = g_ptr_array_index (f->incoming, 0);
  g_assert_true (in->cpim);
  g_assert_cmpstr (in->content_type, ==, "text/plain; charset=utf-8");
  g_assert_cmpstr (in->body, ==, "Here is the text of my message.\r\n");
  g_assert_cmpstr (in->imdn_message_id, ==, "34jk324j");
}

static void
test_pager_receive_415 (Fixture       *f,
                        gconstpointer  data)
{
  HailSipMessage *response;
  g_autofree char *accept = NULL;

  g_signal_connect (f->stack, "request", G_CALLBACK (request_cb), f);
  peer_send_message (f, "image/png", "\x89PNG", 4);
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  response = raw_peer_message (f->peer, 0);
  g_assert_cmpuint (hail_sip_message_get_status (response), ==, 415);
  accept = hail_sip_message_dup_header (response, "Accept");
  g_assert_cmpstr (accept, ==, HAIL_SIP_PAGER_ACCEPT);
  g_assert_cmpuint (f->incoming->len, ==, 0);
}

static void
test_pager_receive_composing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) doc = hail_sip_iscomposing_write (TRUE, 120);
  HailSipPagerIncoming *in;

  g_signal_connect (f->stack, "request", G_CALLBACK (request_cb), f);
  peer_send_message (f, HAIL_SIP_ISCOMPOSING_CONTENT_TYPE, g_bytes_get_data (doc, NULL),
                     g_bytes_get_size (doc));
  g_assert_true (raw_peer_wait (f->peer, 1, 5000));
  in = g_ptr_array_index (f->incoming, 0);
  g_assert_cmpint (in->kind, ==, HAIL_SIP_PAGER_KIND_COMPOSING);
  g_assert_true (in->composing->active);
  g_assert_cmpuint (in->composing->refresh, ==, 120);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/cpim/parse", test_cpim_parse);
  g_test_add_func ("/sip/cpim/bare-lf", test_cpim_bare_lf);
  g_test_add_func ("/sip/cpim/malformed", test_cpim_malformed);
  g_test_add_func ("/sip/cpim/bounds", test_cpim_bounds);
  g_test_add_func ("/sip/cpim/round-trip", test_cpim_round_trip);
  g_test_add_func ("/sip/iscomposing/parse-write", test_iscomposing);
  g_test_add_func ("/sip/iscomposing/malformed", test_iscomposing_malformed);
  g_test_add_func ("/sip/imdn/parse-write", test_imdn);
  g_test_add_func ("/sip/charset/latin1", test_charset_latin1);
  g_test_add_func ("/sip/charset/invalid-replaced", test_charset_invalid_replaced);
  g_test_add_func ("/sip/charset/unknown", test_charset_unknown);
  g_test_add ("/sip/pager/send-utf8", Fixture, NULL, fixture_setup, test_pager_send,
              fixture_teardown);
  g_test_add ("/sip/pager/cpim-falls-back-on-415", Fixture, NULL, fixture_setup,
              test_pager_cpim_fallback, fixture_teardown);
  g_test_add ("/sip/pager/refused-with-status", Fixture, NULL, fixture_setup, test_pager_refused,
              fixture_teardown);
  g_test_add ("/sip/pager/too-long-udp-only", Fixture, NULL, fixture_setup,
              test_pager_too_long_udp_only, fixture_teardown);
  g_test_add ("/sip/pager/receive-latin1", Fixture, NULL, fixture_setup,
              test_pager_receive_latin1, fixture_teardown);
  g_test_add ("/sip/pager/receive-cpim", Fixture, NULL, fixture_setup, test_pager_receive_cpim,
              fixture_teardown);
  g_test_add ("/sip/pager/receive-415", Fixture, NULL, fixture_setup, test_pager_receive_415,
              fixture_teardown);
  g_test_add ("/sip/pager/receive-composing", Fixture, NULL, fixture_setup,
              test_pager_receive_composing, fixture_teardown);

  return g_test_run ();
}
