/* hail-sip-transport.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-flow.h"
#include "hail-sip-transport-types.h"

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TRANSPORT (hail_sip_transport_get_type ())
G_DECLARE_FINAL_TYPE (HailSipTransport, hail_sip_transport, HAIL, SIP_TRANSPORT, GObject)

/* Moves SIP message bytes over UDP, TCP and TLS on the main context. The
 * "message-received" signal carries (GBytes *message, HailSipFlow *flow or
 * NULL for UDP, GInetSocketAddress *remote, GInetSocketAddress *local,
 * HailSipTransportKind kind); "flow-closed" carries (HailSipFlow *flow,
 * GError *error or NULL when closed on purpose). Timeouts and intervals are
 * the properties "connect-timeout", "pong-timeout", "idle-timeout" and
 * "keepalive-interval", in milliseconds. */
HailSipTransport   *hail_sip_transport_new               (void) G_GNUC_WARN_UNUSED_RESULT;

/* RFC 3261 §18.1.1: whether a request of @size bytes must go over a
 * congestion-controlled transport (TCP) rather than UDP. @path_mtu is 0 when
 * unknown (then the limit is 1300 bytes). */
gboolean            hail_sip_transport_needs_stream      (gsize        size,
                                                          guint        path_mtu);

/* Extra trusted CA certificates (PEM) for TLS, beside the system store. */
gboolean            hail_sip_transport_set_ca_file       (HailSipTransport  *self,
                                                          const char        *ca_file,
                                                          GError           **error);

/* The certificate chain and key a TLS listener presents. */
gboolean            hail_sip_transport_set_certificate   (HailSipTransport  *self,
                                                          const char        *cert_file,
                                                          const char        *key_file,
                                                          GError           **error);

/* Binds a UDP socket, or a TCP or TLS listener, to @address (port 0 picks
 * one). Returns the bound address (new reference), or NULL with an error. */
GInetSocketAddress *hail_sip_transport_listen            (HailSipTransport      *self,
                                                          HailSipTransportKind   kind,
                                                          GInetSocketAddress    *address,
                                                          GError               **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

/* Sends one message to @remote. UDP leaves from the first bound socket of
 * the same family and refuses requests that need a stream
 * (HAIL_SIP_ERROR_TOO_LARGE). TCP and TLS reuse the flow to that address
 * (RFC 5923), whoever opened it, or connect; TLS checks the certificate for
 * @server_name, or for the address when NULL, and reuses a flow we opened
 * only when it was verified for that same name. */
void                hail_sip_transport_send_async        (HailSipTransport      *self,
                                                          HailSipTransportKind   kind,
                                                          GInetSocketAddress    *remote,
                                                          const char            *server_name,
                                                          GBytes                *message,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* On success @flow (optional) gets the flow the message went on, a new
 * reference, or NULL for UDP. */
gboolean            hail_sip_transport_send_finish       (HailSipTransport      *self,
                                                          GAsyncResult          *result,
                                                          HailSipFlow          **flow,
                                                          GError               **error);

/* The open flow to @remote over @kind, or NULL. Borrowed. */
HailSipFlow        *hail_sip_transport_lookup_flow       (HailSipTransport      *self,
                                                          HailSipTransportKind   kind,
                                                          GInetSocketAddress    *remote);

/* RFC 5923: lets requests to @alias (the address the peer advertised, such
 * as its Via sent-by with ";alias") reuse @flow. Returns FALSE when @flow is
 * closed or not ours, or another flow already serves @alias. */
gboolean            hail_sip_transport_add_alias         (HailSipTransport      *self,
                                                          HailSipFlow           *flow,
                                                          GInetSocketAddress    *alias);

/* How many TCP and TLS flows are open. */
guint               hail_sip_transport_get_n_flows       (HailSipTransport      *self);

/* Closes every socket and flow; pending sends fail. */
void                hail_sip_transport_close             (HailSipTransport      *self);

G_END_DECLS
