/* hail-sip-pager.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-auth.h"
#include "hail-sip-cpim.h"
#include "hail-sip-imdn.h"
#include "hail-sip-iscomposing.h"
#include "hail-sip-server-transaction.h"
#include "hail-sip-stack.h"

G_BEGIN_DECLS

#define HAIL_SIP_PAGER_TEXT_TYPE "text/plain;charset=UTF-8"
/* What a MESSAGE may carry to us (RFC 3428 §7: the Accept of a 415). */
#define HAIL_SIP_PAGER_ACCEPT \
  "text/plain, message/cpim, application/im-iscomposing+xml"
/* Largest body we send in pager mode; a larger text needs the session
 * model (MSRP, RFC 4975 §1). */
#define HAIL_SIP_PAGER_MAX_BODY 65000

/**
 * HailSipPagerOutgoing:
 * @to: the peer's URI (the Request-URI and To)
 * @call_id: (nullable): the Call-ID; %NULL makes a new one. A message sent
 *   again after a restart reuses its Call-ID and CSeq so the peer dedupes
 * @cseq: the CSeq of the first attempt (0: 1)
 * @content_type: (nullable): the body's type; %NULL: text/plain UTF-8
 * @body: the body
 * @cpim: wrap the body in message/cpim (RFC 3862); on 415 the pager sends
 *   it again unwrapped
 * @imdn_message_id: (nullable): with @cpim, the `imdn.Message-ID`
 * @disposition: with @cpim, the notifications asked for
 *
 * One MESSAGE to send outside a dialog.
 */
typedef struct {
  const char             *to;
  const char             *call_id;
  guint32                 cseq;
  const char             *content_type;
  GBytes                 *body;
  gboolean                cpim;
  const char             *imdn_message_id;
  HailSipCpimDisposition  disposition;
} HailSipPagerOutgoing;

/**
 * HailSipPagerKind:
 * @HAIL_SIP_PAGER_KIND_TEXT: text for the user
 * @HAIL_SIP_PAGER_KIND_COMPOSING: an is-composing status (RFC 3994)
 * @HAIL_SIP_PAGER_KIND_IMDN: a delivery or display notification (RFC 5438)
 */
typedef enum {
  HAIL_SIP_PAGER_KIND_TEXT,
  HAIL_SIP_PAGER_KIND_COMPOSING,
  HAIL_SIP_PAGER_KIND_IMDN,
} HailSipPagerKind;

/**
 * HailSipPagerIncoming:
 * @kind: what the MESSAGE carried
 * @from: the From URI
 * @to: the To URI
 * @call_id: the Call-ID
 * @cseq: the CSeq number
 * @content_type: the Content-Type as received; for message/cpim, the
 *   encapsulated part's
 * @body: (nullable): for text, the body converted to valid UTF-8
 * @cpim: whether it came wrapped in message/cpim
 * @imdn_message_id: (nullable): the CPIM `imdn.Message-ID`
 * @disposition: the notifications the sender asked for
 * @datetime: (nullable): the CPIM DateTime
 * @composing: (nullable): for is-composing, the status
 * @imdn: (nullable): for a notification, its document
 *
 * A MESSAGE received and already answered.
 */
typedef struct {
  HailSipPagerKind        kind;
  char                   *from;
  char                   *to;
  char                   *call_id;
  guint32                 cseq;
  char                   *content_type;
  char                   *body;
  gboolean                cpim;
  char                   *imdn_message_id;
  HailSipCpimDisposition  disposition;
  char                   *datetime;
  HailSipIsComposing     *composing;
  HailSipImdn            *imdn;
} HailSipPagerIncoming;

void hail_sip_pager_incoming_free (HailSipPagerIncoming *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipPagerIncoming, hail_sip_pager_incoming_free)

#define HAIL_TYPE_SIP_PAGER (hail_sip_pager_get_type ())
G_DECLARE_FINAL_TYPE (HailSipPager, hail_sip_pager, HAIL, SIP_PAGER, GObject)

/* The pager model of RFC 3428 for one account: MESSAGE requests outside a
 * dialog through @proxy (or to the peer's domain, RFC 3263), answering
 * challenges with @auth. */
HailSipPager         *hail_sip_pager_new              (HailSipStack               *stack,
                                                       HailSipAuth                *auth,
                                                       HailSipUri                 *aor,
                                                       HailSipUri                 *proxy)
  G_GNUC_WARN_UNUSED_RESULT;
/* -1 lets the proxy URI or RFC 3263 choose. */
void                  hail_sip_pager_set_transport    (HailSipPager               *self,
                                                       gint                        kind);
/* Whether a request too large for UDP may go over TCP to the same server
 * (RFC 3261 §18.1.1); without it such a message fails with
 * HAIL_SIP_ERROR_TOO_LARGE before anything is sent. Default TRUE. */
void                  hail_sip_pager_set_allow_stream (HailSipPager               *self,
                                                       gboolean                    allow);

/* Sends one MESSAGE. _finish returns TRUE on a 2xx; on a final non-2xx it
 * fails with HAIL_SIP_STATUS_ERROR (code: the status; message: the
 * reason phrase), else with the stack's error. @status gets the final
 * status (0 when none came), @call_id the Call-ID used, @cseq the CSeq
 * number of the last attempt, @cpim whether the body that passed was
 * still wrapped in CPIM. */
void                  hail_sip_pager_send_async       (HailSipPager               *self,
                                                       const HailSipPagerOutgoing *message,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
gboolean              hail_sip_pager_send_finish      (HailSipPager               *self,
                                                       GAsyncResult               *result,
                                                       guint                      *status,
                                                       char                      **call_id,
                                                       guint32                    *cseq,
                                                       gboolean                   *cpim,
                                                       GError                    **error);

/* Takes an incoming MESSAGE: answers 200 (no Contact, no body) to what we
 * can show, 415 with Accept to what we cannot, 400 to what is malformed,
 * and returns what it carried. NULL with @error when it was refused. */
HailSipPagerIncoming *hail_sip_pager_receive          (HailSipPager               *self,
                                                       HailSipServerTransaction   *txn,
                                                       HailSipMessage             *request,
                                                       GError                    **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Parses a MESSAGE without answering it: what hail_sip_pager_receive()
 * does before it replies. On failure @status gets the answer to give
 * (400 or 415). */
HailSipPagerIncoming *hail_sip_pager_parse_request    (HailSipMessage             *request,
                                                       guint                      *status,
                                                       GError                    **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
