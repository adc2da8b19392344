/* hail-sip-stack-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the transactions need from the stack; nothing outside src/sip uses it.
 */
#pragma once

#include "hail-sip-client-transaction.h"
#include "hail-sip-server-transaction.h"
#include "hail-sip-stack.h"

G_BEGIN_DECLS

/* Where a response to an incoming request goes (RFC 3261 §18.2.2,
 * RFC 3581 §4): the flow it came on, else the address below. */
typedef struct {
  HailSipTransportKind  kind;
  HailSipFlow          *flow;
  GInetSocketAddress   *remote;
} HailSipReplyPath;

void      _hail_sip_reply_path_clear               (HailSipReplyPath         *path);

/* Sends and completes @callback with the stack as source; a failure is a
 * GError from the transport. */
void      _hail_sip_stack_send_reply               (HailSipStack             *self,
                                                    const HailSipReplyPath   *path,
                                                    GBytes                   *message,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);

/* Everything the transport delivers goes through here (and the fuzz
 * target feeds it directly). */
void      _hail_sip_stack_receive                  (HailSipStack             *self,
                                                    GBytes                   *bytes,
                                                    HailSipFlow              *flow,
                                                    GInetSocketAddress       *remote,
                                                    HailSipTransportKind      kind);

/* The key a transaction is filed under: for a request or a response. */
char     *_hail_sip_client_key                     (const HailSipMessage     *message);
char     *_hail_sip_server_key                     (const HailSipMessage     *request,
                                                    gboolean                  for_cancel);

gboolean  _hail_sip_stack_add_client               (HailSipStack             *self,
                                                    HailSipClientTransaction *txn,
                                                    GError                  **error);
void      _hail_sip_stack_remove_client            (HailSipStack             *self,
                                                    HailSipClientTransaction *txn);
void      _hail_sip_stack_remove_server            (HailSipStack             *self,
                                                    HailSipServerTransaction *txn);

/* Made by the stack for each new request. */
HailSipServerTransaction *_hail_sip_server_transaction_new     (HailSipStack           *stack,
                                                                HailSipMessage         *request,
                                                                const HailSipReplyPath *path);
/* A retransmission of the request (or, for INVITE, its ACK) arrived. */
void      _hail_sip_server_transaction_receive     (HailSipServerTransaction *self,
                                                    HailSipMessage           *request);
const char *_hail_sip_server_transaction_get_key   (HailSipServerTransaction *self);

void      _hail_sip_client_transaction_receive     (HailSipClientTransaction *self,
                                                    HailSipMessage           *response);
const char *_hail_sip_client_transaction_get_key   (HailSipClientTransaction *self);

G_END_DECLS
