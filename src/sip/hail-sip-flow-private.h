/* hail-sip-flow-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How HailSipTransport makes flows, and what hail-sip-flow.c (life cycle,
 * timers, API) and hail-sip-flow-io.c (sockets, TLS, framing) share.
 * Nothing outside src/sip includes this.
 */
#pragma once

#include "hail-sip-flow.h"
#include "hail-sip-framer.h"
#include "hail-sip-tls-context.h"
#include "hail-sip-tls-session.h"

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

/* One hail_sip_flow_send_async() call. */
typedef struct {
  GTask   *task;
  GBytes  *message;   /* Until READY; then it is in the output. */
  guint64  end;       /* Once in the output: self->queued after its last byte. */
} Send;

struct _HailSipFlow
{
  GObject parent_instance;

  /* Owned references. */
  GSocket            *socket;
  GInetSocketAddress *remote;
  GInetSocketAddress *local;
  HailSipTlsSession  *tls;
  HailSipFramer      *framer;
  GSource            *read_source;
  GSource            *write_source;
  char               *server_name;
  char               *label;       /* "TLS 127.0.0.1:5061", for messages. */

  /* Bytes for the socket are out[out_pos, len); queued and written count
   * every byte ever put in and taken out, so sends know when they are done. */
  GByteArray         *out;
  gsize               out_pos;
  guint64             queued;
  guint64             written;
  GQueue              waiting;     /* Send*, before READY. */
  GQueue              inflight;    /* Send*, in the output. */
  gsize               waiting_bytes;

  /* Timers. */
  HailSipFlowTimers   timers;
  guint               keepalive_interval;
  guint               connect_id;
  guint               keepalive_id;
  guint               pong_id;
  guint               idle_id;
  gint64              last_use;    /* Last message either way. */
  gint64              last_rx;     /* Last bytes from the peer. */

  /* State. */
  HailSipTransportKind kind;
  HailSipFlowState    state;
  gboolean            incoming;
};


/* hail-sip-flow.c */
void      _hail_sip_flow_fail            (HailSipFlow       *self,
                                          GError            *error);
void      _hail_sip_flow_become_ready    (HailSipFlow       *self);
void      _hail_sip_flow_touch           (HailSipFlow       *self);
void      _hail_sip_flow_set_state       (HailSipFlow       *self,
                                          HailSipFlowState   state);
void      _hail_sip_flow_send_free       (Send              *send);
void      _hail_sip_flow_emit_message    (HailSipFlow       *self,
                                          GBytes            *message);

/* hail-sip-flow-io.c */
GError   *_hail_sip_flow_transport_error (const GError      *cause,
                                          const char        *what,
                                          const char        *label);
void      _hail_sip_flow_watch_write     (HailSipFlow       *self);
gboolean  _hail_sip_flow_encode          (HailSipFlow       *self,
                                          const guint8      *data,
                                          gsize              len,
                                          GError           **error);
void      _hail_sip_flow_start_reading   (HailSipFlow       *self);
void      _hail_sip_flow_connected       (HailSipFlow       *self);

G_END_DECLS
