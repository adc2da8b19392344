/* hail-msrp-session-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What hail-msrp-session.c (set-up, connection, life cycle) and
 * hail-msrp-session-transfer.c (sending, receiving, reports) share.
 */
#pragma once

#include "hail-msrp-connection.h"
#include "hail-msrp-reassembly.h"
#include "hail-msrp-session.h"
#include "hail-sip-auth.h"

G_BEGIN_DECLS

/* One hail_msrp_session_send_async() call. */
typedef struct {
  GTask            *task;
  HailMsrpOutgoing *message;
  GSource          *cancel_source;
  guint64           acked;        /* Body bytes a 200 confirmed. */
  guint             n_pending;    /* Chunks awaiting a response. */
  gboolean          started;      /* A chunk went out. */
  gboolean          all_sent;     /* Every chunk went out. */
  gboolean          reported;     /* A success REPORT covered it all. */
} Send;

/* A request that awaits its response (RFC 4975 §7.2). */
typedef struct {
  char    *tid;
  Send    *send;       /* NULL for the binding SEND, or once the send ended. */
  guint64  bytes;      /* Body bytes of the chunk. */
  gint64   deadline;   /* Monotonic µs. */
  gboolean answered;
  gboolean bind;
} Transaction;

/* One message being received. */
typedef struct {
  HailMsrpReassembly *reassembly;
  char               *content_type;
  gboolean            success_report;
  guint64             reported;   /* Prefix a partial success REPORT covered. */
} Incoming;

struct _HailMsrpSession
{
  GObject parent_instance;

  /* Owned references. */
  GSocketListener    *listener;
  GCancellable       *cancellable;
  HailMsrpUri        *local_uri;
  GPtrArray          *local_path;     /* HailMsrpUri*: our URI alone. */
  GPtrArray          *remote_path;    /* HailMsrpUri*: To-Path, NULL until set. */
  GPtrArray          *peer_path;      /* HailMsrpUri*: the peer's a=path. */
  HailSipTlsContext  *tls_client;
  HailSipTlsContext  *tls_server;
  HailSipTlsIdentity *identity;       /* msrps: our certificate. */
  HailSipTlsContext  *tls;            /* msrps: the settings in use, from start. */
  char               *remote_fingerprint;
  char               *ca_file;
  HailMsrpConnection *connection;     /* Bound, or on trial while passive. */
  GError             *error;

  /* RFC 4976: the relay every frame goes through, NULL for direct. */
  HailMsrpUri        *relay;
  HailSipAuth        *relay_auth;
  HailSipTlsContext  *relay_tls;
  GTask              *relay_task;     /* connect_relay_async until the first 200. */
  GPtrArray          *use_path;       /* HailMsrpUri*, the relay's first grant. */
  char               *sdp_path;       /* Use-Path then our URI, for a=path. */
  char               *relay_tid;      /* The AUTH awaiting its answer. */
  GPtrArray          *relay_sent;     /* HailSipAuthHeader* that AUTH carried. */
  guint               relay_rounds;   /* 401s answered for this AUTH. */
  guint               relay_timer_id; /* The answer's deadline, or the refresh. */
  GQueue              relay_early;    /* HailMsrpMessage*: requests before start. */

  /* Sending: sends not started, the one being cut into chunks, and those
   * wholly sent that await confirmation. */
  GQueue              waiting;        /* Send* */
  Send               *current;
  GQueue              inflight;       /* Send* */
  GQueue              transactions;   /* Transaction*, in sending order. */
  GHashTable         *by_tid;         /* tid -> Transaction*, unanswered. */

  /* Receiving. */
  GHashTable         *incoming;       /* Message-ID -> Incoming* */
  GHashTable         *refused;        /* Message-IDs answered with 413. */

  /* Timers. */
  guint               timeout_id;     /* The oldest transaction's deadline. */
  guint               bind_id;        /* Passive: a connection's first SEND. */

  /* Settings. */
  gsize               chunk_size;
  guint64             max_message_size;
  guint               transaction_timeout;

  /* State. */
  HailMsrpSessionState state;
  gboolean            secure;
  gboolean            active;
  gboolean            bound;
  gboolean            streaming;  /* Bodies go out by "chunk-received". */
  guint64             resume_held; /* Streaming: what the next message holds already. */
};

/* hail-msrp-session.c */
void      _hail_msrp_session_fail            (HailMsrpSession    *self,
                                              GError             *error);
void      _hail_msrp_session_bind            (HailMsrpSession    *self);
void      _hail_msrp_session_reject_trial    (HailMsrpSession    *self);

void      _hail_msrp_session_take_socket     (HailMsrpSession    *self,
                                              GSocketConnection  *socket,
                                              HailSipTlsSession  *tls);

/* hail-msrp-session-relay.c */
void      _hail_msrp_session_relay_auth      (HailMsrpSession    *self);
gboolean  _hail_msrp_session_relay_response  (HailMsrpSession    *self,
                                              HailMsrpMessage    *message);
gboolean  _hail_msrp_session_relay_start     (HailMsrpSession    *self,
                                              GError            **error);
void      _hail_msrp_session_relay_stop      (HailMsrpSession    *self,
                                              const GError       *error);
void      _hail_msrp_session_relay_hold      (HailMsrpSession    *self,
                                              HailMsrpMessage    *message);
gsize     _hail_msrp_session_relay_chunk_size (HailMsrpSession   *self);

/* hail-msrp-session-transfer.c */
void      _hail_msrp_session_pump            (HailMsrpSession    *self);
void      _hail_msrp_session_send_bind       (HailMsrpSession    *self);
void      _hail_msrp_session_handle_message  (HailMsrpSession    *self,
                                              HailMsrpMessage    *message);
void      _hail_msrp_session_answer_invalid (HailMsrpSession    *self,
                                              GBytes             *frame);
void      _hail_msrp_session_end_transfers   (HailMsrpSession    *self,
                                              const GError       *error);
void      _hail_msrp_session_send_free       (Send               *send);
void      _hail_msrp_session_incoming_free   (Incoming           *incoming);
void      _hail_msrp_session_transaction_free (Transaction       *transaction);

/* Signal ids, owned by hail-msrp-session.c. */
enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_RECEIVE_PROGRESS,
  SIGNAL_RECEIVE_ABORTED,
  SIGNAL_SEND_PROGRESS,
  SIGNAL_CHUNK_RECEIVED,
  SIGNAL_SEND_REPORTED,
  N_SIGNALS
};

extern guint _hail_msrp_session_signals[N_SIGNALS];

G_END_DECLS
