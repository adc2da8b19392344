/* hail-sip-client-transaction.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-message.h"
#include "hail-sip-target.h"

G_BEGIN_DECLS

/**
 * HailSipTransactionState:
 * @HAIL_SIP_TRANSACTION_STATE_CALLING: INVITE client sent, nothing heard
 * @HAIL_SIP_TRANSACTION_STATE_TRYING: non-INVITE sent (client) or received (server)
 * @HAIL_SIP_TRANSACTION_STATE_PROCEEDING: a provisional response was seen
 * @HAIL_SIP_TRANSACTION_STATE_COMPLETED: a final non-2xx (INVITE) or any
 *   final response (non-INVITE); retransmissions are absorbed
 * @HAIL_SIP_TRANSACTION_STATE_CONFIRMED: INVITE server: the ACK arrived
 * @HAIL_SIP_TRANSACTION_STATE_ACCEPTED: INVITE: a 2xx passed (RFC 6026)
 * @HAIL_SIP_TRANSACTION_STATE_TERMINATED: over
 *
 * The states of the four machines of RFC 3261 §17 and RFC 6026.
 */
typedef enum {
  HAIL_SIP_TRANSACTION_STATE_CALLING,
  HAIL_SIP_TRANSACTION_STATE_TRYING,
  HAIL_SIP_TRANSACTION_STATE_PROCEEDING,
  HAIL_SIP_TRANSACTION_STATE_COMPLETED,
  HAIL_SIP_TRANSACTION_STATE_CONFIRMED,
  HAIL_SIP_TRANSACTION_STATE_ACCEPTED,
  HAIL_SIP_TRANSACTION_STATE_TERMINATED,
} HailSipTransactionState;

#define HAIL_TYPE_SIP_TRANSACTION_STATE (hail_sip_transaction_state_get_type ())
GType hail_sip_transaction_state_get_type (void) G_GNUC_CONST;

typedef struct _HailSipStack HailSipStack;

#define HAIL_TYPE_SIP_CLIENT_TRANSACTION (hail_sip_client_transaction_get_type ())
G_DECLARE_FINAL_TYPE (HailSipClientTransaction, hail_sip_client_transaction,
                      HAIL, SIP_CLIENT_TRANSACTION, GObject)

/* An INVITE or non-INVITE client transaction (RFC 3261 §17.1). The request
 * carries its own top Via with a z9hG4bK branch. "provisional" fires for each
 * 1xx; "response" for each 2xx that arrives after the first one of an INVITE
 * (RFC 6026 §8.4: they go to the dialog layer). */
HailSipClientTransaction *hail_sip_client_transaction_new          (HailSipStack          *stack,
                                                                    HailSipMessage        *request,
                                                                    const HailSipTarget   *target)
  G_GNUC_WARN_UNUSED_RESULT;

HailSipMessage           *hail_sip_client_transaction_get_request  (HailSipClientTransaction *self);
const HailSipTarget      *hail_sip_client_transaction_get_target   (HailSipClientTransaction *self);
HailSipTransactionState   hail_sip_client_transaction_get_state    (HailSipClientTransaction *self);

/* Sends the request and retransmits it on unreliable transports until the
 * final response, which _finish returns (any status). Fails with
 * HAIL_SIP_ERROR_TIMEOUT (timer B or F), a transport error, or
 * G_IO_ERROR_CANCELLED. The transaction lingers in the stack afterwards to
 * absorb retransmissions (timers D, K, M). */
void hail_sip_client_transaction_run_async (HailSipClientTransaction *self,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
HailSipMessage *hail_sip_client_transaction_run_finish (HailSipClientTransaction *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error)
                                                        G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
