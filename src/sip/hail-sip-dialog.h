/* hail-sip-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-sip-message.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/* Record-Route entries a dialog keeps; a longer route set is refused
 * rather than stored without bound. */
#define HAIL_SIP_DIALOG_MAX_ROUTES 16

#define HAIL_TYPE_SIP_DIALOG (hail_sip_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HailSipDialog, hail_sip_dialog, HAIL, SIP_DIALOG, GObject)

/* The state RFC 3261 §12 keeps for a dialog: Call-ID, both tags, both
 * CSeq numbers, the route set (from Record-Route), the remote target
 * (from Contact) and whether it is secure (sips:). */

/* The dialog a UAC builds from its INVITE and a 1xx/2xx with a To tag
 * (§12.1.2): the route set is the Record-Route values reversed. */
HailSipDialog *hail_sip_dialog_new_uac           (HailSipMessage  *request,
                                                  HailSipMessage  *response,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
/* The dialog a UAS builds from an INVITE it answers with @local_tag
 * (§12.1.1): the route set is the Record-Route values in order. */
HailSipDialog *hail_sip_dialog_new_uas           (HailSipMessage  *request,
                                                  const char      *local_tag,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;

const char    *hail_sip_dialog_get_call_id       (HailSipDialog   *self);
const char    *hail_sip_dialog_get_local_tag     (HailSipDialog   *self);
const char    *hail_sip_dialog_get_remote_tag    (HailSipDialog   *self);
/* The From and To values of requests we send in the dialog, with tags. */
const char    *hail_sip_dialog_get_local_party   (HailSipDialog   *self);
const char    *hail_sip_dialog_get_remote_party  (HailSipDialog   *self);
HailSipUri    *hail_sip_dialog_get_remote_target (HailSipDialog   *self);
/* The route set as Route header values, in the order requests carry
 * them. Borrowed; element-type utf8. */
GPtrArray     *hail_sip_dialog_get_route_set     (HailSipDialog   *self);
gboolean       hail_sip_dialog_get_secure        (HailSipDialog   *self);
gboolean       hail_sip_dialog_get_is_uac        (HailSipDialog   *self);
guint32        hail_sip_dialog_get_local_cseq    (HailSipDialog   *self);
guint32        hail_sip_dialog_get_remote_cseq   (HailSipDialog   *self);
/* Takes the next local CSeq number for a new request (§12.2.1.1). */
guint32        hail_sip_dialog_next_cseq         (HailSipDialog   *self);

/* Whether @message belongs to this dialog (§12.2.2): same Call-ID and
 * tags, seen from the side that sent it. */
gboolean       hail_sip_dialog_matches           (HailSipDialog   *self,
                                                  HailSipMessage  *message);
/* Checks an in-dialog request (§12.2.2): a CSeq lower than the last one
 * fails with @status 500; a target refresh (INVITE, UPDATE) with a valid
 * Contact moves the remote target. ACK and CANCEL carry the INVITE's CSeq
 * and are not checked. */
gboolean       hail_sip_dialog_receive_request   (HailSipDialog   *self,
                                                  HailSipMessage  *request,
                                                  guint           *status,
                                                  GError         **error);
/* A 2xx to a target refresh we sent: its Contact is the new remote
 * target. On the 2xx that confirms an early UAC dialog, its route set
 * replaces the early one (§12.1.2, §13.2.2.4). */
void           hail_sip_dialog_receive_response  (HailSipDialog   *self,
                                                  HailSipMessage  *response,
                                                  gboolean         confirms);

/* The URI to resolve to send an in-dialog request: the first route when
 * there is one, else the remote target (RFC 3261 §12.2.1.1, §8.1.2).
 * New reference. */
HailSipUri    *hail_sip_dialog_dup_next_hop      (HailSipDialog   *self) G_GNUC_WARN_UNUSED_RESULT;
/* Starts an in-dialog request: Request-URI and Route headers (loose or
 * strict routing, §12.2.1.1), then @via, Max-Forwards, From, To, Call-ID
 * and CSeq @cseq @method (@cseq_method for ACK and CANCEL, which reuse
 * the INVITE's number). The caller adds Contact, other headers and the
 * body. */
HailSipMessageBuilder *hail_sip_dialog_build_request (HailSipDialog *self,
                                                      const char    *method,
                                                      guint32        cseq,
                                                      const char    *via) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
