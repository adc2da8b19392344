/* hail-sip-flow.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-transport-types.h"

G_BEGIN_DECLS

/**
 * HailSipFlowState:
 * @HAIL_SIP_FLOW_STATE_CONNECTING: the TCP connect is in progress
 * @HAIL_SIP_FLOW_STATE_HANDSHAKING: the TLS handshake is in progress
 * @HAIL_SIP_FLOW_STATE_READY: messages flow both ways
 * @HAIL_SIP_FLOW_STATE_CLOSED: closed or broken; never reused
 */
typedef enum {
  HAIL_SIP_FLOW_STATE_CONNECTING,
  HAIL_SIP_FLOW_STATE_HANDSHAKING,
  HAIL_SIP_FLOW_STATE_READY,
  HAIL_SIP_FLOW_STATE_CLOSED,
} HailSipFlowState;

#define HAIL_TYPE_SIP_FLOW_STATE (hail_sip_flow_state_get_type ())
GType hail_sip_flow_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_SIP_FLOW (hail_sip_flow_get_type ())
G_DECLARE_FINAL_TYPE (HailSipFlow, hail_sip_flow, HAIL, SIP_FLOW, GObject)

/* One TCP or TLS connection (RFC 5626 calls it a flow). HailSipTransport
 * makes flows; the "message" signal carries each framed message, and
 * "closed" (with a GError, or NULL when closed on purpose) fires once. */

HailSipTransportKind  hail_sip_flow_get_kind               (HailSipFlow  *self);
HailSipFlowState      hail_sip_flow_get_state              (HailSipFlow  *self);
/* TRUE when the peer opened the connection (we are the server side). */
gboolean              hail_sip_flow_get_incoming           (HailSipFlow  *self);
GInetSocketAddress   *hail_sip_flow_get_remote_address     (HailSipFlow  *self);
/* NULL until connected. */
GInetSocketAddress   *hail_sip_flow_get_local_address      (HailSipFlow  *self);
/* The name the peer's certificate was checked against (TLS client side). */
const char           *hail_sip_flow_get_server_name        (HailSipFlow  *self);
/* The peer certificate's subject and issuer (TLS), NULL before the peer
 * sent one. */
const char           *hail_sip_flow_get_peer_subject       (HailSipFlow  *self);
const char           *hail_sip_flow_get_peer_issuer        (HailSipFlow  *self);

/* RFC 5626 §4.4.1: sends a CRLFCRLF ping every @interval_ms (0 = never) and
 * breaks the flow when no pong comes within the pong timeout. A flow with
 * keep-alive on is kept open however idle it is. */
void                  hail_sip_flow_set_keepalive_interval (HailSipFlow  *self,
                                                            guint         interval_ms);
guint                 hail_sip_flow_get_keepalive_interval (HailSipFlow  *self);

/* Sends one whole message; completes once the kernel took every byte. A
 * message cancelled before the flow is ready is never sent. */
void                  hail_sip_flow_send_async             (HailSipFlow          *self,
                                                            GBytes               *message,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              hail_sip_flow_send_finish            (HailSipFlow          *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Closes the flow now; pending sends fail with G_IO_ERROR_CLOSED and
 * "closed" fires with a NULL error. */
void                  hail_sip_flow_close                  (HailSipFlow  *self);

G_END_DECLS
