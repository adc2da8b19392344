/* hail-sip-flow-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How HailSipTransport makes flows; nothing outside src/sip includes this.
 */
#pragma once

#include "hail-sip-flow.h"
#include "hail-sip-tls-context.h"

G_BEGIN_DECLS

/* The timers a transport gives each of its flows, in milliseconds. */
typedef struct {
  guint connect_timeout;   /* Until READY: TCP connect plus TLS handshake. */
  guint pong_timeout;      /* From a ping to its pong. */
  guint idle_timeout;      /* Without messages either way; 0 = never. */
  guint keepalive;         /* Ping interval for outgoing flows; 0 = none. */
} HailSipFlowTimers;

/* Starts connecting to @remote; TLS verifies the peer for @server_name, or
 * for the remote address when NULL. */
HailSipFlow *_hail_sip_flow_new_outgoing (HailSipTransportKind      kind,
                                          GInetSocketAddress       *remote,
                                          const char               *server_name,
                                          HailSipTlsContext        *tls,
                                          const HailSipFlowTimers  *timers,
                                          GError                  **error);

/* Takes over an accepted, non-blocking @socket; @tls is the server context
 * for TLS, NULL for TCP. */
HailSipFlow *_hail_sip_flow_new_incoming (GSocket                  *socket,
                                          HailSipTlsContext        *tls,
                                          const HailSipFlowTimers  *timers,
                                          GError                  **error);

G_END_DECLS
