/* test-account.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailAccount: what it accepts as an account and as its MSRP relay, its
 * stable +sip.instance, and OPTIONS answered with its Allow and Accept on 127.0.0.1.
 */
#include "config.h"

#include "hail-account.h"
#include "hail-sip-error.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

static void
test_invalid (void)
{
  const char *bad[] = { "alice@example.test", "sip:example.test", "tel:+123", "sip:a@", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailAccount) account = hail_account_new (bad[i], &error);

      g_assert_null (account);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

/* RFC 4976: the relay is msrps, quoted back when it is not; empty means
 * direct sessions, and a bad one leaves the previous setting. */
static void
test_msrp_relay (void)
{
  g_autoptr(HailAccount) account = hail_account_new ("sip:alice@example.test", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (hail_account_get_msrp_relay (account));
  g_assert_true (hail_account_set_msrp_relay (account, "msrps://relay.example.test:2855;tcp",
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpstr (hail_msrp_uri_get_host (hail_account_get_msrp_relay (account)), ==,
                   "relay.example.test");
  g_assert_false (hail_account_set_msrp_relay (account, "msrp://relay.example.test;tcp", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "msrp://relay.example.test;tcp"));
  g_assert_nonnull (hail_account_get_msrp_relay (account));
  g_assert_true (hail_account_set_msrp_relay (account, "", NULL));
  g_assert_null (hail_account_get_msrp_relay (account));
}

static void
test_instance_id (void)
{
  g_autoptr(HailAccount) a = hail_account_new ("sip:alice@example.test", NULL);
  g_autoptr(HailAccount) b = hail_account_new ("sip:alice@example.test", NULL);
  g_autoptr(HailAccount) c = hail_account_new ("sip:bob@example.test", NULL);
  const char *id = hail_account_get_instance_id (a);

  /* RFC 5626 §4.1: stable for this device and account, a UUID URN. */
  g_assert_true (g_str_has_prefix (id, "urn:uuid:"));
  g_assert_true (g_uuid_string_is_valid (id + strlen ("urn:uuid:")));
  g_assert_cmpstr (id, ==, hail_account_get_instance_id (b));
  g_assert_cmpstr (id, !=, hail_account_get_instance_id (c));
}

static void
test_answers_options (void)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  g_autoptr(HailAccount) account = hail_account_new ("sip:alice@example.test", NULL);
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *accept = NULL;
  HailSipTarget *udp;
  HailSipMessage *response;

  bound = hail_account_start (account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bound->len, ==, 2);
  udp = g_ptr_array_index (bound, 0);
  g_assert_cmpint (udp->kind, ==, HAIL_SIP_TRANSPORT_KIND_UDP);
  request = g_strdup_printf ("OPTIONS sip:alice@127.0.0.1 SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.0.1:%u;rport;branch=z9hG4bKopt1\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: <sip:bob@example.test>;tag=b1\r\n"
                             "To: <sip:alice@example.test>\r\n"
                             "Call-ID: options-1\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "Content-Length: 0\r\n\r\n",
                             g_inet_socket_address_get_port (peer->address));
  raw_peer_send (peer, udp->address, request);
  g_assert_true (raw_peer_wait (peer, 1, 5000));
  response = raw_peer_message (peer, 0);
  g_assert_cmpuint (hail_sip_message_get_status (response), ==, 200);
  allow = hail_sip_message_dup_header (response, "Allow");
  accept = hail_sip_message_dup_header (response, "Accept");
  g_assert_cmpstr (allow, ==, HAIL_ACCOUNT_ALLOW);
  g_assert_cmpstr (accept, ==, HAIL_ACCOUNT_ACCEPT);
  g_assert_true (hail_sip_span_present (hail_sip_message_get_to (response)->tag));
}

static gboolean
refuse_cb (HailAccount              *account,
           HailSipServerTransaction *txn,
           HailSipMessage           *request,
           guint                    *calls)
{
  (*calls)++;
  return FALSE;
}

static void
test_other_requests_offered (void)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  g_autoptr(HailAccount) account = hail_account_new ("sip:alice@example.test", NULL);
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  HailSipTarget *udp;
  guint calls = 0;

  bound = hail_account_start (account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  udp = g_ptr_array_index (bound, 0);
  g_signal_connect (account, "request", G_CALLBACK (refuse_cb), &calls);
  request = g_strdup_printf ("MESSAGE sip:alice@127.0.0.1 SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.0.1:%u;rport;branch=z9hG4bKmsg1\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: <sip:bob@example.test>;tag=b1\r\n"
                             "To: <sip:alice@example.test>\r\n"
                             "Call-ID: message-1\r\n"
                             "CSeq: 1 MESSAGE\r\n"
                             "Content-Type: text/plain\r\n"
                             "Content-Length: 2\r\n\r\nhi",
                             g_inet_socket_address_get_port (peer->address));
  raw_peer_send (peer, udp->address, request);
  g_assert_true (raw_peer_wait (peer, 1, 5000));
  /* Offered to the front end, which did not take it: 501 from the stack. */
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (peer, 0)), ==, 501);
}

/* "Any port" puts UDP and TCP on one port, which peers expect of a UA (a
 * TCP request to the port of a UDP Contact): several starts, so that a
 * kernel pick taken for TCP is likely met. */
static void
test_udp_tcp_share_port (void)
{
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(HailAccount) account = hail_account_new ("sip:alice@example.test", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) bound = hail_account_start (account, "127.0.0.1:0", &error);
      HailSipTarget *udp, *tcp;

      g_assert_no_error (error);
      g_assert_cmpuint (bound->len, ==, 2);
      udp = g_ptr_array_index (bound, 0);
      tcp = g_ptr_array_index (bound, 1);
      g_assert_cmpint (udp->kind, ==, HAIL_SIP_TRANSPORT_KIND_UDP);
      g_assert_cmpint (tcp->kind, ==, HAIL_SIP_TRANSPORT_KIND_TCP);
      g_assert_cmpuint (g_inet_socket_address_get_port (udp->address), !=, 0);
      g_assert_cmpuint (g_inet_socket_address_get_port (udp->address), ==,
                        g_inet_socket_address_get_port (tcp->address));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/account/invalid-aor", test_invalid);
  g_test_add_func ("/core/account/msrp-relay", test_msrp_relay);
  g_test_add_func ("/core/account/udp-tcp-share-port", test_udp_tcp_share_port);
  g_test_add_func ("/core/account/stable-instance-id", test_instance_id);
  g_test_add_func ("/core/account/answers-options", test_answers_options);
  g_test_add_func ("/core/account/other-requests-offered", test_other_requests_offered);

  return g_test_run ();
}
