/* hail-sip-server-transaction.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-client-transaction.h"
#include "hail-sip-message.h"

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_SERVER_TRANSACTION (hail_sip_server_transaction_get_type ())
G_DECLARE_FINAL_TYPE (HailSipServerTransaction, hail_sip_server_transaction,
                      HAIL, SIP_SERVER_TRANSACTION, GObject)

/* An INVITE or non-INVITE server transaction (RFC 3261 §17.2). The stack
 * makes one for each new request; the transaction user answers with
 * hail_sip_server_transaction_respond(). "cancelled" fires when a CANCEL
 * matched this INVITE (the stack has answered the CANCEL with 200; the
 * user should answer the INVITE with 487). */
HailSipMessage          *hail_sip_server_transaction_get_request (HailSipServerTransaction *self);
HailSipTransactionState  hail_sip_server_transaction_get_state   (HailSipServerTransaction *self);

/* Sends @response (built from the request with
 * hail_sip_message_builder_new_reply()) and moves the machine on. A final
 * response is retransmitted as RFC 3261 §17.2 requires. FALSE with an error
 * when the response does not fit the state (a second final response). */
gboolean hail_sip_server_transaction_respond (HailSipServerTransaction *self,
                                              HailSipMessage           *response,
                                              GError                  **error);
/* Builds the response with a standard reason phrase, adds @to_tag to To when
 * it has none, and sends it. */
gboolean                 hail_sip_server_transaction_reply       (HailSipServerTransaction *self,
                                                                  guint                     status,
                                                                  const char               *to_tag,
                                                                  GError                  **error);

G_END_DECLS
