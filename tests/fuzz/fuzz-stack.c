/* fuzz-stack.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds the input to a fresh HailSipStack as a UDP datagram from
 * 127.0.0.1:5060, as the transport would: parsing, the stateless 400/505
 * answers, the received/rport stamp on the top Via, transaction matching
 * (RFC 3261 and RFC 2543 keys), server transactions answered 200 by a
 * handler (CANCEL and ACK paths included), and response matching. No
 * socket is bound, so every send fails at once without touching the
 * network; pending completions are run before the next input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HailSipTransport) transport = hail_sip_transport_new ();
  g_autoptr(HailSipStack) stack = hail_sip_stack_new (transport);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (lo, 5060);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  g_signal_connect (stack, "request", G_CALLBACK (request_cb), NULL);
  _hail_sip_stack_receive (stack, bytes, NULL, G_INET_SOCKET_ADDRESS (remote),
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  /* The same bytes again: a retransmission to absorb or answer again. */
  _hail_sip_stack_receive (stack, bytes, NULL, G_INET_SOCKET_ADDRESS (remote),
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
