/* hail-msrp-connection.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-msrp-message.h"
#include "hail-sip-tls-session.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MSRP_CONNECTION (hail_msrp_connection_get_type ())
G_DECLARE_FINAL_TYPE (HailMsrpConnection, hail_msrp_connection, HAIL, MSRP_CONNECTION, GObject)

/* One TCP connection carrying MSRP, inside TLS when @tls is given (a client
 * session verifies the peer; a server session presents our certificate).
 * Signals: "ready" once TLS is up (at once over TCP); "message" with each
 * HailMsrpMessage; "invalid" with the bytes and GError of a frame that was
 * cut at its end-line but did not parse (the stream goes on); "drained"
 * whenever the write queue falls below HAIL_MSRP_SEND_WINDOW; and "closed"
 * once, with a GError (or NULL when closed on purpose). Everything runs on
 * the main context. */
HailMsrpConnection *hail_msrp_connection_new        (GSocketConnection  *connection,
                                                     HailSipTlsSession  *tls,
                                                     const char         *label)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* Starts reading (and the TLS handshake). */
void                hail_msrp_connection_start      (HailMsrpConnection *self);

gboolean            hail_msrp_connection_is_ready   (HailMsrpConnection *self);
gboolean            hail_msrp_connection_is_closed  (HailMsrpConnection *self);
/* "TCP 127.0.0.1:4000", for messages. */
const char         *hail_msrp_connection_get_label  (HailMsrpConnection *self);

/* Queues a whole frame; FALSE once closed. Frames go out in order. */
gboolean            hail_msrp_connection_send       (HailMsrpConnection *self,
                                                     GBytes             *frame);
/* Plaintext bytes queued and not yet taken by the kernel. */
gsize               hail_msrp_connection_get_queued (HailMsrpConnection *self);

/* Closes once what is queued went out (a last response to a peer we turn
 * away), or after HAIL_MSRP_LINGER_MS if it does not drain; reads stop now.
 * "closed" fires with a NULL error. */
void                hail_msrp_connection_close_soon (HailMsrpConnection *self);

/* Closes now; "closed" fires with a NULL error. */
void                hail_msrp_connection_close      (HailMsrpConnection *self);

G_END_DECLS
