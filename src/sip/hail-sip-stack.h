/* hail-sip-stack.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-auth.h"
#include "hail-sip-message.h"
#include "hail-sip-target.h"
#include "hail-sip-transport.h"

G_BEGIN_DECLS

/* RFC 3261 §17.1.1.1 defaults, in milliseconds. */
#define HAIL_SIP_DEFAULT_T1 500
#define HAIL_SIP_DEFAULT_T2 4000
#define HAIL_SIP_DEFAULT_T4 5000
/* Transactions one stack keeps at once; a flood of requests beyond it is
 * answered 503 rather than growing memory without bound. */
#define HAIL_SIP_MAX_TRANSACTIONS 4096

#define HAIL_TYPE_SIP_STACK (hail_sip_stack_get_type ())
G_DECLARE_FINAL_TYPE (HailSipStack, hail_sip_stack, HAIL, SIP_STACK, GObject)

/* The transaction layer of RFC 3261 over a HailSipTransport: parses what
 * arrives, answers what cannot be parsed, matches responses to client
 * transactions and requests to server transactions, and hands new requests
 * to the "request" signal (HailSipServerTransaction *txn, or NULL for an ACK
 * to a 2xx; HailSipMessage *request; returns TRUE when handled: otherwise
 * the stack answers 501). "message" (gboolean outgoing,
 * HailSipTransportKind kind, GInetSocketAddress *remote, GBytes *bytes)
 * sees every message sent and received: the trace hook. */
HailSipStack       *hail_sip_stack_new                 (HailSipTransport      *transport)
                                                       G_GNUC_WARN_UNUSED_RESULT;

HailSipTransport   *hail_sip_stack_get_transport       (HailSipStack          *self);
guint               hail_sip_stack_get_t1              (HailSipStack          *self);
guint               hail_sip_stack_get_t2              (HailSipStack          *self);
guint               hail_sip_stack_get_t4              (HailSipStack          *self);
void                hail_sip_stack_set_timers          (HailSipStack          *self,
                                                        guint                  t1,
                                                        guint                  t2,
                                                        guint                  t4);

/* Binds @kind on @address (port 0 picks one) through the transport and
 * remembers it for the sent-by of our Via. Returns the bound address. */
GInetSocketAddress *hail_sip_stack_listen              (HailSipStack          *self,
                                                        HailSipTransportKind   kind,
                                                        GInetSocketAddress    *address,
                                                        GError               **error)
  G_GNUC_WARN_UNUSED_RESULT;
/* The address bound for @kind, or NULL. Borrowed. */
GInetSocketAddress *hail_sip_stack_get_listen_address  (HailSipStack          *self,
                                                        HailSipTransportKind   kind);

/* The address this host reaches @target from: the bound port (of @target's
 * kind, else UDP) on the interface the kernel routes to it, or, once a
 * response told us (RFC 3581 received/rport), our address as the server
 * sees it. New reference, or NULL with an error. */
GInetSocketAddress *hail_sip_stack_get_local_address   (HailSipStack          *self,
                                                        const HailSipTarget   *target,
                                                        gboolean               public,
                                                        GError               **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* A Via value for a request to @target: our sent-by, `rport` and @branch. */
char               *hail_sip_stack_dup_via             (HailSipStack          *self,
                                                        const HailSipTarget   *target,
                                                        const char            *branch,
                                                        GError               **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Our Contact URI toward @target for @aor: @aor's user at the address
 * @target reaches us on (public, as get_local_address()), sips: over TLS,
 * `;transport=tcp` over TCP. No angle brackets. */
char               *hail_sip_stack_dup_contact_uri     (HailSipStack          *self,
                                                        const HailSipTarget   *target,
                                                        const HailSipUri      *aor,
                                                        GError               **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Fresh identifiers from the CSPRNG: a `z9hG4bK` branch (RFC 3261 §8.1.1.7),
 * a tag (§19.3) and a Call-ID (§8.1.1.4). */
char               *hail_sip_stack_new_branch          (void) G_GNUC_WARN_UNUSED_RESULT;
char               *hail_sip_stack_new_tag             (void) G_GNUC_WARN_UNUSED_RESULT;
char               *hail_sip_stack_new_call_id         (void) G_GNUC_WARN_UNUSED_RESULT;

/* Sends a message outside any transaction (an ACK to a 2xx, a stateless
 * answer), through the trace hook. */
void                hail_sip_stack_send_async          (HailSipStack          *self,
                                                        const HailSipTarget   *target,
                                                        GBytes                *message,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean            hail_sip_stack_send_finish         (HailSipStack          *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* Most attempts one request makes at one server: challenges answered
 * (RFC 3261 §22.2) plus the first. */
#define HAIL_SIP_MAX_REQUEST_ATTEMPTS 6

/* The first of @targets (HailSipTarget*, from the resolver) this stack can
 * send to: UDP needs a bound socket of the address's family. Falls back
 * to the first; NULL when @targets is empty. Borrowed from @targets. */
const HailSipTarget *hail_sip_stack_pick_target        (HailSipStack          *self,
                                                        GPtrArray             *targets);

/* How many client and server transactions are alive. */
guint               hail_sip_stack_get_n_transactions  (HailSipStack          *self);

G_END_DECLS
