/* fuzz-stack.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds the input to a fresh HailSipStack as a UDP datagram from
 * 127.0.0.1:5060, as the transport would: parsing, the stateless 400/505
 * answers, the received/rport stamp on the top Via, transaction matching
 * (RFC 3261 and RFC 2543 keys), server transactions answered 200 by a
 * handler (CANCEL and ACK paths included), and responses to a running
 * INVITE and OPTIONS client transaction (branch z9hG4bKfuzz, sent-by
 * 127.0.0.1:5060: see corpus/stack), with the ACK of a non-2xx. No
 * socket is bound, so every send fails at once without touching the
 * network; pending completions are run before the next input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-message-builder.h"
#include "hail-sip-stack-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
request_cb (HailSipStack             *stack,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            gpointer                  user_data)
{
  g_autoptr(GError) error = NULL;

  if (txn == NULL)
    return TRUE;
  /* Odd CSeq numbers are answered at once, even ones left to the timers
   * (100 Trying for INVITE) so that CANCEL finds something to cancel. */
  if (hail_sip_message_get_cseq (request)->number % 2 == 1)
    hail_sip_server_transaction_reply (txn, 200, "fuzz", &error);
  return TRUE;
}

static HailSipClientTransaction *
start_client (HailSipStack *stack,
              const char   *method)
{
  g_autofree char *text = NULL;
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(HailSipTarget) target = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (lo, 5060);
  HailSipClientTransaction *txn;

  text = g_strdup_printf ("%s sip:bob@127.0.0.1 SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bKfuzz\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: <sip:alice@example.test>;tag=f\r\n"
                          "To: <sip:bob@example.test>\r\n"
                          "Call-ID: fuzz\r\n"
                          "CSeq: 1 %s\r\n"
                          "Route: <sip:127.0.0.1;lr>\r\n"
                          "Content-Length: 0\r\n\r\n", method, method);
  request = hail_sip_message_parse_data (text, strlen (text), HAIL_SIP_PARSE_DATAGRAM, NULL);
  g_assert (request != NULL);
  target = hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (remote),
                                NULL);
  txn = hail_sip_client_transaction_new (stack, request, target);
  hail_sip_client_transaction_run_async (txn, NULL, NULL, NULL);
  return txn;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HailSipTransport) transport = hail_sip_transport_new ();
  g_autoptr(HailSipStack) stack = hail_sip_stack_new (transport);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (lo, 5060);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  HailSipClientTransaction *clients[] = {
    start_client (stack, "INVITE"),
    start_client (stack, "OPTIONS"),
  };

  g_signal_connect (stack, "request", G_CALLBACK (request_cb), NULL);
  _hail_sip_stack_receive (stack, bytes, NULL, G_INET_SOCKET_ADDRESS (remote),
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  /* The same bytes again: a retransmission to absorb or answer again. */
  _hail_sip_stack_receive (stack, bytes, NULL, G_INET_SOCKET_ADDRESS (remote),
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (gsize i = 0; i < G_N_ELEMENTS (clients); i++)
    g_object_unref (clients[i]);
  return 0;
}
