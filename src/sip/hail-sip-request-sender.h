/* hail-sip-request-sender.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-auth.h"
#include "hail-sip-client-transaction.h"
#include "hail-sip-stack.h"

G_BEGIN_DECLS

/**
 * HailSipRequestSpec:
 * @method: the method
 * @request_uri: the Request-URI
 * @target: (nullable): where to send it first; %NULL resolves the next hop
 * @from: the From value, with its tag
 * @to: the To value
 * @call_id: the Call-ID
 * @cseq: the CSeq number of the first attempt; each later attempt
 *   (challenge answered, next target, redirect) adds one
 * @headers: (nullable): more headers as name, value, name, value..., %NULL
 * @content_type: (nullable): the body's type
 * @body: (nullable): the body
 *
 * A request outside a dialog (REGISTER, OPTIONS, MESSAGE, the first
 * INVITE) for hail_sip_request_sender_new(), which adds Via,
 * Max-Forwards, CSeq, Contact, credentials and User-Agent to each attempt.
 */
typedef struct {
  const char          *method;
  const HailSipUri    *request_uri;
  const HailSipTarget *target;
  const char          *from;
  const char          *to;
  const char          *call_id;
  guint32              cseq;
  const char * const  *headers;
  const char          *content_type;
  GBytes              *body;
} HailSipRequestSpec;

/* The Contact value of an attempt to @target (the local address depends on
 * it), or NULL with an error: the target is then given up as unreachable. */
typedef char *(*HailSipContactFunc) (const HailSipTarget  *target,
                                     gpointer              user_data,
                                     GError              **error);

#define HAIL_TYPE_SIP_REQUEST_SENDER (hail_sip_request_sender_get_type ())
G_DECLARE_FINAL_TYPE (HailSipRequestSender, hail_sip_request_sender,
                      HAIL, SIP_REQUEST_SENDER, GObject)

/* One request to a URI, every way RFC 3261 and RFC 3263 let it go: the
 * next hop is resolved (SRV, then A/AAAA) unless @spec gives a target;
 * each target is tried in order and a timeout, a transport failure or a
 * 503 moves on to the next (§4.3), but only before any provisional
 * response (a server that said 1xx has the request); 401 and 407 are
 * answered with @auth (a new branch and the next CSeq, same server); 3xx
 * is followed when allowed (set_max_redirects); a request too large for
 * UDP goes over TCP to the same address (§18.1.1). With both a target and
 * a next hop, the target is tried first and the next hop is resolved
 * afresh only if it fails: a refresh keeps its server, and its failover
 * uses addresses of now, not of the first lookup.
 *
 * "attempt" (HailSipClientTransaction *txn) is emitted for each
 * transaction before it starts: an INVITE's owner watches its
 * provisional responses and keeps it for CANCEL. */
HailSipRequestSender *hail_sip_request_sender_new            (HailSipStack             *stack,
                                                              const HailSipRequestSpec *spec,
                                                              HailSipAuth              *auth)
  G_GNUC_WARN_UNUSED_RESULT;

/* What to resolve when the spec's target fails or is NULL (default: the
 * Request-URI), and the transport (-1: as the resolver decides). */
void                  hail_sip_request_sender_set_next_hop   (HailSipRequestSender *self,
                                                              const HailSipUri     *next_hop,
                                                              gint                  kind);
void                  hail_sip_request_sender_set_contact_func (HailSipRequestSender *self,
                                                                HailSipContactFunc    func,
                                                                gpointer              user_data);
/* How many 3xx are followed to their first Contact (default 0: a 3xx is
 * a final response like any other). */
void                  hail_sip_request_sender_set_max_redirects (HailSipRequestSender *self,
                                                                 guint                 max);
/* Whether a request too large for UDP may go over TCP (default TRUE);
 * when not, it fails with HAIL_SIP_ERROR_TOO_LARGE. */
void                  hail_sip_request_sender_set_allow_stream (HailSipRequestSender *self,
                                                                gboolean              allow);
/* No new attempt after the transaction in flight (a CANCELled INVITE must
 * not reach another server); while resolving, the run fails at once with
 * G_IO_ERROR_CANCELLED. */
void                  hail_sip_request_sender_stop           (HailSipRequestSender *self);

/* Runs once. _finish returns the final response (2xx, or the failure the
 * caller handles: a 3xx not followed, a 4xx-6xx, a 503 from the last
 * target) or fails with the last target's error (HAIL_SIP_ERROR_TIMEOUT,
 * a transport or TLS error, HAIL_SIP_ERROR_AUTH_*), a DNS error, or
 * G_IO_ERROR_CANCELLED. */
void                  hail_sip_request_sender_run_async      (HailSipRequestSender *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
HailSipMessage       *hail_sip_request_sender_run_finish     (HailSipRequestSender *self,
                                                              GAsyncResult         *result,
                                                              GError              **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* The last attempt: its target, request, CSeq number, Request-URI (after
 * redirects) and the status of its final response (0 when none).
 * Borrowed; NULL before the first attempt. */
const HailSipTarget  *hail_sip_request_sender_get_target     (HailSipRequestSender *self);
HailSipMessage       *hail_sip_request_sender_get_request    (HailSipRequestSender *self);
guint32               hail_sip_request_sender_get_cseq       (HailSipRequestSender *self);
const HailSipUri     *hail_sip_request_sender_get_request_uri (HailSipRequestSender *self);
guint                 hail_sip_request_sender_get_status     (HailSipRequestSender *self);
/* Targets tried so far, the last one included. */
guint                 hail_sip_request_sender_get_n_targets_tried (HailSipRequestSender *self);

/* The answers of @auth (HailSipAuthHeader*) to the challenges of
 * @response, a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), for
 * @request: hail_sip_auth_respond() on the response's own headers. In-dialog
 * requests use it too. */
GPtrArray            *hail_sip_request_sender_answer         (HailSipAuth               *auth,
                                                              HailSipMessage            *response,
                                                              const HailSipAuthRequest  *request,
                                                              GError                   **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
