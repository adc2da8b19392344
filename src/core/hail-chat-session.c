/* hail-chat-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The INVITE session and the MSRP session of one message session joined:
 * our listener's path goes in the SDP before the INVITE (or the 200)
 * leaves, the peer's path and a=setup come back, and the side RFC 6135
 * makes active connects. Either half ending ends the other: a BYE closes
 * the connection, a broken connection sends BYE. An account with an MSRP
 * relay (RFC 4976) authenticates to it before the offer or the answer is
 * written, since the relay's Use-Path goes into our a=path.
 */
#include "config.h"

#include "hail-chat-session.h"

#include "hail-msrp-relay.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-context.h"

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_RECEIVE_PROGRESS,
  SIGNAL_RECEIVE_FAILED,
  SIGNAL_SEND_PROGRESS,
  SIGNAL_CHUNK_RECEIVED,
  SIGNAL_SEND_REPORTED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

struct _HailChatSession
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount          *account;
  HailSipSession       *sip;
  HailMsrpSession      *msrp;
  HailMsrpSdpMedia     *peer;        /* The peer's m=message, once known. */
  HailSdpFileSelector  *file;        /* What we offer, or what is offered. */
  GBytes               *answer;      /* The answer to our INVITE. */
  GError               *error;

  /* State. */
  HailChatSessionState  state;
  char                 *remote;
  char                 *local_address;
  gboolean              outgoing;
  gboolean              secure;
  guint64               max_size;
  guint64               resume_from;  /* RFC 5547 §9: bytes the receiver holds. */
  guint                 idle_seconds;
  guint                 idle_id;
  guint                 n_sending;
  GPtrArray            *closing;     /* GTask of close_async waiting for the end */
  gboolean              closed_emitted;
  gboolean              relaying;    /* AUTH to our relay under way. */
  HailSdpSetup          answer_role; /* Incoming: what we answer, once relayed. */
};

G_DEFINE_FINAL_TYPE (HailChatSession, hail_chat_session, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void hail_chat_session_touch (HailChatSession *self);

/* Both halves are over: the connection closes, "closed" is emitted once
 * and whoever waits for the close is told. */
static void
complete_closing (HailChatSession *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->closing);

  if (self->msrp != NULL)
    hail_msrp_session_close (self->msrp);
  if (!self->closed_emitted)
    {
      self->closed_emitted = TRUE;
      g_signal_emit (self, signals[SIGNAL_CLOSED], 0, self->error);
    }
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
hung_up_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HailChatSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_sip_session_hangup_finish (HAIL_SIP_SESSION (source), result, &error))
    g_debug ("Ending the message session with %s: %s", self->remote, error->message);
  complete_closing (self);
}

/* Ends both halves once, keeping the first reason. A clean end sends
 * BYE while the connection is still up, so the peer sees the BYE rather
 * than a dropped connection (which it would answer with a BYE of its
 * own); a broken one closes the connection at once. */
static void
finish (HailChatSession *self,
        const GError    *reason)
{
  HailSipSessionState sip_state;

  if (self->state == HAIL_CHAT_SESSION_STATE_CLOSED)
    return;
  self->state = HAIL_CHAT_SESSION_STATE_CLOSED;
  if (reason != NULL && self->error == NULL)
    self->error = g_error_copy (reason);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  sip_state = self->sip != NULL ? hail_sip_session_get_state (self->sip)
                                : HAIL_SIP_SESSION_STATE_TERMINATED;
  if (sip_state == HAIL_SIP_SESSION_STATE_TERMINATED
      || sip_state == HAIL_SIP_SESSION_STATE_TERMINATING)
    {
      complete_closing (self);
      return;
    }
  if (reason != NULL && self->msrp != NULL)
    hail_msrp_session_close (self->msrp);
  hail_sip_session_hangup_async (self->sip, NULL, hung_up_cb, g_object_ref (self));
}

static gboolean
idle_cb (gpointer user_data)
{
  HailChatSession *self = user_data;

  self->idle_id = 0;
  if (self->n_sending > 0)
    {
      hail_chat_session_touch (self);
      return G_SOURCE_REMOVE;
    }
  g_debug ("Message session with %s idle for %u s: ending it", self->remote,
           self->idle_seconds);
  finish (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Something went through: the idle count starts again. */
static void
hail_chat_session_touch (HailChatSession *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->idle_seconds > 0 && self->state == HAIL_CHAT_SESSION_STATE_OPEN)
    self->idle_id = g_timeout_add_seconds (self->idle_seconds, idle_cb, self);
}

static void
sip_state_cb (HailSipSession  *sip,
              GParamSpec      *pspec,
              HailChatSession *self)
{
  g_autoptr(GError) error = NULL;
  guint status;

  if (hail_sip_session_get_state (sip) != HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  /* An INVITE still in progress reports its failure through open. */
  if (self->state == HAIL_CHAT_SESSION_STATE_OPENING && self->outgoing)
    return;
  status = hail_sip_session_get_status (sip);
  if (status >= 300)
    error = g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status, "The message session ended: %u %s",
                         status, hail_sip_session_get_reason (sip));
  else if (status == 0 && self->state != HAIL_CHAT_SESSION_STATE_CLOSED
           && self->msrp != NULL
           && hail_msrp_session_get_state (self->msrp) != HAIL_MSRP_SESSION_STATE_READY)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                 "The peer ended the message session before it was connected");
  finish (self, error);
}

static void
msrp_state_cb (HailMsrpSession *msrp,
               GParamSpec      *pspec,
               HailChatSession *self)
{
  const GError *reason = hail_msrp_session_get_error (msrp);
  g_autoptr(GError) error = NULL;

  /* A relay that fails us before the SDP is written is reported by
   * whoever waits for it (open, or the answer). */
  if (hail_msrp_session_get_state (msrp) != HAIL_MSRP_SESSION_STATE_FAILED || self->relaying)
    return;
  error = reason != NULL ? g_error_copy (reason)
                         : g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                                "closed");
  g_prefix_error (&error, "The message session's connection (MSRP) failed: ");
  finish (self, error);
}

static void
msrp_received_cb (HailMsrpSession *msrp,
                  const char      *message_id,
                  const char      *content_type,
                  GBytes          *content,
                  HailChatSession *self)
{
  hail_chat_session_touch (self);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, content_type, content);
}

static void
msrp_receive_progress_cb (HailMsrpSession *msrp,
                          const char      *message_id,
                          guint64          received,
                          gint64           total,
                          HailChatSession *self)
{
  hail_chat_session_touch (self);
  g_signal_emit (self, signals[SIGNAL_RECEIVE_PROGRESS], 0, received, total);
}

static void
msrp_receive_aborted_cb (HailMsrpSession    *msrp,
                         const char         *message_id,
                         const GError       *reason,
                         HailMsrpReassembly *partial,
                         HailChatSession    *self)
{
  g_signal_emit (self, signals[SIGNAL_RECEIVE_FAILED], 0, reason);
}

static void
msrp_send_progress_cb (HailMsrpSession  *msrp,
                       HailMsrpOutgoing *message,
                       guint64           acknowledged,
                       guint64           total,
                       HailChatSession  *self)
{
  hail_chat_session_touch (self);
  g_signal_emit (self, signals[SIGNAL_SEND_PROGRESS], 0, acknowledged, total);
}

static void
msrp_chunk_received_cb (HailMsrpSession *msrp,
                        const char      *message_id,
                        guint64          start,
                        gint64           total,
                        GBytes          *body,
                        HailChatSession *self)
{
  g_signal_emit (self, signals[SIGNAL_CHUNK_RECEIVED], 0, start, total, body);
}

static void
msrp_send_reported_cb (HailMsrpSession  *msrp,
                       HailMsrpOutgoing *message,
                       guint64           end,
                       HailChatSession  *self)
{
  g_signal_emit (self, signals[SIGNAL_SEND_REPORTED], 0, end);
}

/* Our listener, before the SDP that names it. */
static gboolean
ensure_msrp (HailChatSession  *self,
             gboolean          secure,
             GError          **error)
{
  g_autoptr(GInetAddress) ip = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (self->msrp != NULL)
    return TRUE;
  ip = g_inet_address_new_from_string (self->local_address);
  if (ip == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                   "No local address to listen for MSRP on (“%s”)", self->local_address);
      return FALSE;
    }
  address = g_inet_socket_address_new (ip, 0);
  self->msrp = hail_msrp_session_new (G_INET_SOCKET_ADDRESS (address), secure, error);
  if (self->msrp == NULL)
    return FALSE;
  {
    g_autofree char *ca_file = NULL;

    /* A peer without a fingerprint, or the peer's relay (which even an msrp
     * session reaches over TLS), is checked against the CAs SIP uses. */
    g_object_get (hail_sip_stack_get_transport (hail_account_get_stack (self->account)),
                  "ca-file", &ca_file, NULL);
    hail_msrp_session_set_ca_file (self->msrp, ca_file);
  }
  hail_msrp_session_set_max_message_size (self->msrp, self->max_size);
  /* Fewer, larger chunks for a file: less framing and fewer 200s. */
  if (self->file != NULL)
    hail_msrp_session_set_chunk_size (self->msrp, HAIL_CHAT_SESSION_FILE_CHUNK_SIZE);
  /* A file we take goes to disk chunk by chunk, never whole in memory. */
  if (self->file != NULL && !self->outgoing)
    hail_msrp_session_set_streaming (self->msrp, TRUE);
  g_signal_connect (self->msrp, "chunk-received", G_CALLBACK (msrp_chunk_received_cb), self);
  g_signal_connect (self->msrp, "send-reported", G_CALLBACK (msrp_send_reported_cb), self);
  g_signal_connect (self->msrp, "notify::state", G_CALLBACK (msrp_state_cb), self);
  g_signal_connect (self->msrp, "message-received", G_CALLBACK (msrp_received_cb), self);
  g_signal_connect (self->msrp, "receive-progress", G_CALLBACK (msrp_receive_progress_cb), self);
  g_signal_connect (self->msrp, "receive-aborted", G_CALLBACK (msrp_receive_aborted_cb), self);
  g_signal_connect (self->msrp, "send-progress", G_CALLBACK (msrp_send_progress_cb), self);
  return TRUE;
}

/* RFC 4976: AUTH to the account's relay with the account's credentials
 * (the digest cache REGISTER uses), verified against the CAs SIP over TLS
 * trusts. FALSE with an error when it cannot even start. */
static gboolean
connect_relay (HailChatSession      *self,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data,
               GError              **error)
{
  HailMsrpUri *relay = hail_account_get_msrp_relay (self->account);
  HailSipAuth *auth = hail_account_get_auth (self->account);
  g_autofree char *ca_file = NULL;
  g_autoptr(HailSipTlsContext) tls = NULL;

  if (auth == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED,
                   "MSRP relay %s: the account has no password to authenticate with",
                   hail_msrp_uri_to_string (relay));
      return FALSE;
    }
  g_object_get (hail_sip_stack_get_transport (hail_account_get_stack (self->account)),
                "ca-file", &ca_file, NULL);
  tls = hail_sip_tls_context_new_client (ca_file, error);
  if (tls == NULL)
    return FALSE;
  self->relaying = TRUE;
  hail_msrp_session_connect_relay_async (self->msrp, relay, auth, tls, cancellable, callback,
                                         user_data);
  return TRUE;
}

static void
remote_answer_cb (HailSipSession  *sip,
                  GBytes          *answer,
                  HailChatSession *self)
{
  g_clear_pointer (&self->answer, g_bytes_unref);
  self->answer = answer != NULL ? g_bytes_ref (answer) : NULL;
}

/* A re-INVITE or UPDATE with an offer: this session keeps its stream, so
 * a new offer for a new connection is refused (488). */
static GBytes *
remote_offer_cb (HailSipSession  *sip,
                 GBytes          *offer,
                 HailChatSession *self)
{
  return NULL;
}

static void
connect_sip (HailChatSession *self)
{
  g_signal_connect (self->sip, "notify::state", G_CALLBACK (sip_state_cb), self);
  g_signal_connect (self->sip, "remote-answer", G_CALLBACK (remote_answer_cb), self);
  g_signal_connect (self->sip, "remote-offer", G_CALLBACK (remote_offer_cb), self);
}

static void
hail_chat_session_dispose (GObject *object)
{
  HailChatSession *self = HAIL_CHAT_SESSION (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->msrp != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->msrp, self);
      hail_msrp_session_close (self->msrp);
    }
  if (self->sip != NULL)
    g_signal_handlers_disconnect_by_data (self->sip, self);
  g_clear_object (&self->msrp);
  g_clear_object (&self->sip);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (hail_chat_session_parent_class)->dispose (object);
}

static void
hail_chat_session_finalize (GObject *object)
{
  HailChatSession *self = HAIL_CHAT_SESSION (object);

  g_assert (self->closing == NULL);
  g_clear_pointer (&self->peer, hail_msrp_sdp_media_free);
  g_clear_pointer (&self->file, hail_sdp_file_selector_free);
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_error (&self->error);
  g_free (self->remote);
  g_free (self->local_address);

  G_OBJECT_CLASS (hail_chat_session_parent_class)->finalize (object);
}

static void
hail_chat_session_class_init (HailChatSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_chat_session_dispose;
  object_class->finalize = hail_chat_session_finalize;

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
  signals[SIGNAL_RECEIVE_PROGRESS] =
    g_signal_new ("receive-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_INT64);
  signals[SIGNAL_RECEIVE_FAILED] =
    g_signal_new ("receive-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_SEND_PROGRESS] =
    g_signal_new ("send-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
  signals[SIGNAL_CHUNK_RECEIVED] =
    g_signal_new ("chunk-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT64, G_TYPE_INT64, G_TYPE_BYTES);
  signals[SIGNAL_SEND_REPORTED] =
    g_signal_new ("send-reported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hail_chat_session_init (HailChatSession *self)
{
  self->max_size = HAIL_CHAT_SESSION_DEFAULT_MAX_SIZE;
  self->idle_seconds = HAIL_CHAT_SESSION_IDLE_SECONDS;
}

HailChatSession *
hail_chat_session_new_outgoing (HailAccount                *account,
                                const char                 *remote,
                                const HailSdpFileSelector  *file,
                                GError                    **error)
{
  g_autoptr(HailChatSession) self = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  HailSipUri *proxy;
  gint kind;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (remote != NULL, NULL);

  uri = hail_account_parse_peer (remote, error);
  if (uri == NULL)
    return NULL;
  proxy = hail_account_get_proxy (account);
  kind = hail_account_get_request_transport (account);

  self = g_object_new (HAIL_TYPE_CHAT_SESSION, NULL);
  self->account = g_object_ref (account);
  self->outgoing = TRUE;
  self->remote = g_strdup (hail_sip_uri_to_string (uri));
  self->local_address =
    hail_account_dup_local_address (account,
                                    hail_sip_uri_get_host (proxy != NULL ? proxy : uri));
  /* RFC 4975 §14: a TLS account (or a sips: peer) offers msrps, never
   * plain TCP, with our certificate's fingerprint for the peer to pin. */
  self->secure = kind == HAIL_SIP_TRANSPORT_KIND_TLS
                 || hail_sip_uri_get_scheme (uri) == HAIL_SIP_URI_SCHEME_SIPS;
  if (file != NULL)
    {
      self->file = g_new0 (HailSdpFileSelector, 1);
      self->file->name = g_strdup (file->name);
      self->file->type = g_strdup (file->type);
      self->file->size = file->size;
      self->file->hash_algorithm = g_strdup (file->hash_algorithm);
      self->file->hash = g_strdup (file->hash);
    }
  self->sip = hail_sip_session_new_outgoing (hail_account_get_stack (account),
                                             hail_account_get_auth (account),
                                             hail_account_get_aor (account), uri, proxy, kind);
  connect_sip (self);
  return g_steal_pointer (&self);
}

HailChatSession *
hail_chat_session_new_incoming (HailAccount               *account,
                                HailSipServerTransaction  *txn,
                                HailSipMessage            *request,
                                guint                     *status,
                                GError                   **error)
{
  g_autoptr(HailChatSession) self = NULL;
  g_autofree char *host = NULL;
  HailSipVia via;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (txn), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  *status = 400;
  self = g_object_new (HAIL_TYPE_CHAT_SESSION, NULL);
  self->account = g_object_ref (account);
  self->sip = hail_sip_session_new_incoming (hail_account_get_stack (account), txn, request,
                                             hail_account_get_aor (account), error);
  if (self->sip == NULL)
    return NULL;
  self->remote = g_strdup (hail_sip_uri_to_string (hail_sip_session_get_remote_uri (self->sip)));
  if (hail_sip_message_get_via (request, 0, &via))
    host = hail_sip_span_dup (hail_sip_span_present (via.received) ? via.received : via.host);
  self->local_address = hail_account_dup_local_address (account, host);
  self->peer = hail_msrp_sdp_read (hail_sip_session_get_remote_offer (self->sip), error);
  if (self->peer == NULL)
    {
      *status = 488;
      return NULL;
    }
  if (self->peer->file != NULL)
    {
      if (self->peer->direction != HAIL_MSRP_SDP_SENDONLY)
        {
          /* RFC 5547 §8.2: pulling a file from us is not offered. */
          g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                               "Only files pushed to us (a=sendonly) are taken");
          *status = 488;
          return NULL;
        }
      self->file = g_new0 (HailSdpFileSelector, 1);
      self->file->name = g_strdup (self->peer->file->name);
      self->file->type = g_strdup (self->peer->file->type);
      self->file->size = self->peer->file->size;
      self->file->hash_algorithm = g_strdup (self->peer->file->hash_algorithm);
      self->file->hash = g_strdup (self->peer->file->hash);
    }
  connect_sip (self);
  return g_steal_pointer (&self);
}

HailChatSessionState
hail_chat_session_get_state (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), HAIL_CHAT_SESSION_STATE_CLOSED);
  return self->state;
}

gboolean
hail_chat_session_get_outgoing (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), FALSE);
  return self->outgoing;
}

const char *
hail_chat_session_get_remote (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), NULL);
  return self->remote;
}

const HailSdpFileSelector *
hail_chat_session_get_file (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), NULL);
  return self->file;
}

const GError *
hail_chat_session_get_error (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), NULL);
  return self->error;
}

HailMsrpSession *
hail_chat_session_get_msrp (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), NULL);
  return self->msrp;
}

void
hail_chat_session_set_max_size (HailChatSession *self,
                                guint64          max_size)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
  if (self->msrp != NULL)
    hail_msrp_session_set_max_message_size (self->msrp, max_size);
}

void
hail_chat_session_set_idle_timeout (HailChatSession *self,
                                    guint            seconds)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));

  self->idle_seconds = seconds;
  hail_chat_session_touch (self);
}

static void
invite_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChatSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  HailSdpSetup role;

  if (!hail_sip_session_invite_finish (HAIL_SIP_SESSION (source), result, &error))
    {
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&self->peer, hail_msrp_sdp_media_free);
  self->peer = hail_msrp_sdp_read (self->answer, &error);
  /* The peer resumes only where it answered the range we offered. */
  if (self->peer != NULL && self->peer->file_range_start != self->resume_from + 1)
    self->resume_from = 0;
  if (self->peer != NULL && self->peer->secure != self->secure)
    {
      g_clear_pointer (&self->peer, hail_msrp_sdp_media_free);
      g_set_error_literal (&error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The peer answered with another MSRP transport than offered");
    }
  if (self->peer == NULL)
    {
      /* Answered, but not with a message stream we can use: RFC 3264
       * §6 lets us end the session at once. */
      g_prefix_error (&error, "The peer cannot take a message session: ");
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  /* RFC 6135 §4.1: the answerer picked its role from our actpass; we
   * take the other one. */
  role = self->peer->setup == HAIL_SDP_SETUP_PASSIVE ? HAIL_SDP_SETUP_ACTIVE
                                                     : HAIL_SDP_SETUP_PASSIVE;
  if (!hail_msrp_session_set_remote_path (self->msrp, (const char * const *) self->peer->path,
                                          &error)
      || !hail_msrp_session_set_remote_fingerprint (self->msrp, self->peer->fingerprint, &error)
      || !hail_msrp_session_start (self->msrp, role, &error))
    {
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  self->state = HAIL_CHAT_SESSION_STATE_OPEN;
  hail_chat_session_touch (self);
  g_task_return_boolean (task, TRUE);
}

/* The INVITE with our m=message, once our path is known. */
static void
send_offer (GTask *task)
{
  HailChatSession *self = g_task_get_source_object (task);
  g_autoptr(GBytes) offer = NULL;
  g_autofree char *transfer_id = NULL;
  GError *error = NULL;

  if (self->file != NULL)
    transfer_id = hail_msrp_uri_new_session_id (NULL);
  offer = hail_msrp_sdp_write_full (hail_msrp_session_get_local_path (self->msrp),
                                    HAIL_SDP_SETUP_ACTPASS,
                                    self->file != NULL ? HAIL_MSRP_SDP_SENDONLY
                                                       : HAIL_MSRP_SDP_SENDRECV,
                                    self->file != NULL ? 0 : self->max_size, self->file,
                                    transfer_id, hail_msrp_session_get_fingerprint (self->msrp),
                                    self->resume_from + 1, &error);
  if (offer == NULL)
    {
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  self->state = HAIL_CHAT_SESSION_STATE_OPENING;
  hail_sip_session_invite_async (self->sip, offer, g_task_get_cancellable (task), invite_cb,
                                 g_object_ref (task));
}

static void
relay_for_offer_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChatSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->relaying = FALSE;
  if (!hail_msrp_session_connect_relay_finish (HAIL_MSRP_SESSION (source), result, &error))
    {
      g_debug ("Message session with %s: %s", self->remote, error->message);
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  send_offer (task);
}

void
hail_chat_session_open_async (HailChatSession     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (self->outgoing);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_session_open_async);
  if (self->state != HAIL_CHAT_SESSION_STATE_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The message session was already opened");
      return;
    }
  if (!ensure_msrp (self, self->secure, &error))
    {
      finish (self, error);
      g_task_return_error (task, error);
      return;
    }
  if (hail_account_get_msrp_relay (self->account) == NULL)
    {
      send_offer (task);
      return;
    }
  self->state = HAIL_CHAT_SESSION_STATE_OPENING;
  if (!connect_relay (self, cancellable, relay_for_offer_cb, g_object_ref (task), &error))
    {
      g_object_unref (task);
      finish (self, error);
      g_task_return_error (task, error);
    }
}

gboolean
hail_chat_session_open_finish (HailChatSession  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The 200 with our m=message, once our path is known, and MSRP started
 * in @role. */
static gboolean
answer (HailChatSession  *self,
        HailSdpSetup      role,
        GError          **error)
{
  g_autoptr(GBytes) answer = NULL;
  HailMsrpSdpDirection direction = HAIL_MSRP_SDP_SENDRECV;

  if (self->peer->direction == HAIL_MSRP_SDP_SENDONLY)
    direction = HAIL_MSRP_SDP_RECVONLY;
  /* RFC 5547 §9: the range we take, when we resume; without one the
   * sender starts from the first byte. */
  answer = hail_msrp_sdp_write_full (hail_msrp_session_get_local_path (self->msrp), role,
                                     direction, self->max_size, self->peer->file,
                                     self->peer->file_transfer_id,
                                     hail_msrp_session_get_fingerprint (self->msrp),
                                     self->resume_from + 1, error);
  if (answer == NULL)
    return FALSE;
  self->state = HAIL_CHAT_SESSION_STATE_OPENING;
  if (!hail_sip_session_accept (self->sip, answer, error))
    return FALSE;
  if (!hail_msrp_session_start (self->msrp, role, error))
    {
      finish (self, *error);
      return FALSE;
    }
  self->state = HAIL_CHAT_SESSION_STATE_OPEN;
  hail_chat_session_touch (self);
  return TRUE;
}

static void
relay_for_answer_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HailChatSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) ignored = NULL;

  self->relaying = FALSE;
  if (self->state != HAIL_CHAT_SESSION_STATE_OPENING)
    return;   /* The peer gave up (CANCEL) meanwhile. */
  if (!hail_msrp_session_connect_relay_finish (HAIL_MSRP_SESSION (source), result, &error))
    {
      /* Without our relay we cannot take the session: 488, as for an
       * offer we cannot use, so that the peer's text comes as a MESSAGE. */
      g_debug ("Message session from %s: %s", self->remote, error->message);
      if (!hail_sip_session_reject (self->sip, 488, &ignored))
        g_debug ("Could not decline: %s", ignored->message);
      finish (self, error);
      return;
    }
  if (!answer (self, self->answer_role, &error))
    {
      g_debug ("Could not answer a message session: %s", error->message);
      finish (self, error);
    }
}

gboolean
hail_chat_session_accept (HailChatSession  *self,
                          GError          **error)
{
  HailSdpSetup role;

  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), FALSE);
  g_return_val_if_fail (!self->outgoing && self->peer != NULL, FALSE);

  if (self->state != HAIL_CHAT_SESSION_STATE_NEW)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "The message session was already answered");
      return FALSE;
    }
  role = hail_msrp_session_answer_setup (self->peer->setup);
  if (role == HAIL_SDP_SETUP_HOLDCONN)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The offer holds the connection (a=setup:holdconn)");
      return FALSE;
    }
  /* RFC 4976: a peer behind a relay sends through it, and the relay
   * reaches us at our path; a connection of ours to the relay would carry
   * nothing back to us. So we wait for it. */
  if (self->peer->setup == HAIL_SDP_SETUP_ACTPASS && self->peer->path[0] != NULL &&
      self->peer->path[1] != NULL && hail_account_get_msrp_relay (self->account) == NULL)
    role = HAIL_SDP_SETUP_PASSIVE;
  if (!ensure_msrp (self, self->peer->secure, error)
      || !hail_msrp_session_set_remote_path (self->msrp,
                                             (const char * const *) self->peer->path, error)
      || !hail_msrp_session_set_remote_fingerprint (self->msrp, self->peer->fingerprint, error))
    return FALSE;
  if (self->resume_from > 0)
    hail_msrp_session_set_resume_held (self->msrp, self->resume_from);
  if (hail_account_get_msrp_relay (self->account) == NULL)
    return answer (self, role, error);
  /* The 200 waits for the relay's Use-Path; the INVITE stays pending. */
  self->answer_role = role;
  self->state = HAIL_CHAT_SESSION_STATE_OPENING;
  if (connect_relay (self, NULL, relay_for_answer_cb, g_object_ref (self), error))
    return TRUE;
  g_object_unref (self);
  return FALSE;
}

void
hail_chat_session_set_resume_from (HailChatSession *self,
                                   guint64          held)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (self->file != NULL || (self->peer != NULL && self->peer->file != NULL));
  g_return_if_fail (self->state == HAIL_CHAT_SESSION_STATE_NEW);

  self->resume_from = held;
}

guint64
hail_chat_session_get_resume_from (HailChatSession *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), 0);

  if (!self->outgoing && self->state == HAIL_CHAT_SESSION_STATE_NEW && self->peer != NULL)
    return self->peer->file_range_start - 1;
  return self->resume_from;
}

gboolean
hail_chat_session_ring (HailChatSession  *self,
                        GError          **error)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), FALSE);
  g_return_val_if_fail (!self->outgoing, FALSE);

  return hail_sip_session_ring (self->sip, NULL, error);
}

gboolean
hail_chat_session_reject (HailChatSession  *self,
                          guint             status,
                          GError          **error)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), FALSE);
  g_return_val_if_fail (!self->outgoing, FALSE);
  g_return_val_if_fail (status >= 300 && status <= 699, FALSE);

  if (!hail_sip_session_reject (self->sip, status, error))
    return FALSE;
  self->state = HAIL_CHAT_SESSION_STATE_CLOSED;
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChatSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->n_sending--;
  hail_chat_session_touch (self);
  if (hail_msrp_session_send_finish (HAIL_MSRP_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Either @content, or @size bytes from @read_func. */
static void
send_content (HailChatSession          *self,
              const char               *content_type,
              GBytes                   *content,
              guint64                   size,
              HailMsrpOutgoingReadFunc  read_func,
              gpointer                  read_data,
              GDestroyNotify            read_destroy,
              GCancellable             *cancellable,
              GAsyncReadyCallback       callback,
              gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailMsrpOutgoing) message = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_session_send_async);
  if (self->state != HAIL_CHAT_SESSION_STATE_OPEN || self->msrp == NULL)
    {
      if (read_destroy != NULL)
        read_destroy (read_data);
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                                 "The message session is not open");
      return;
    }
  if (content != NULL)
    message = hail_msrp_session_new_outgoing (self->msrp, content_type, content);
  else
    message = hail_msrp_session_new_outgoing_reader (self->msrp, content_type, size, read_func,
                                                     read_data, read_destroy);
  /* A Success-Report says the peer has every byte: what "sent" means
   * for a file, and for a text in the history. */
  hail_msrp_outgoing_set_reports (message, HAIL_MSRP_REPORT_YES, HAIL_MSRP_REPORT_YES);
  if (self->file != NULL && self->resume_from > 0 && self->resume_from <= size)
    hail_msrp_outgoing_set_offset (message, self->resume_from);
  self->n_sending++;
  hail_msrp_session_send_async (self->msrp, message, cancellable, sent_cb,
                                g_steal_pointer (&task));
}

void
hail_chat_session_send_async (HailChatSession     *self,
                              const char          *content_type,
                              GBytes              *content,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (content_type != NULL && content != NULL);

  send_content (self, content_type, content, g_bytes_get_size (content), NULL, NULL, NULL,
                cancellable, callback, user_data);
}

void
hail_chat_session_send_reader_async (HailChatSession          *self,
                                     const char               *content_type,
                                     guint64                   size,
                                     HailMsrpOutgoingReadFunc  read_func,
                                     gpointer                  read_data,
                                     GDestroyNotify            read_destroy,
                                     GCancellable             *cancellable,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (content_type != NULL && read_func != NULL);

  send_content (self, content_type, NULL, size, read_func, read_data, read_destroy, cancellable,
                callback, user_data);
}

gboolean
hail_chat_session_send_finish (HailChatSession  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
hail_chat_session_handle_request (HailChatSession          *self,
                                  HailSipServerTransaction *txn,
                                  HailSipMessage           *request)
{
  g_return_val_if_fail (HAIL_IS_CHAT_SESSION (self), FALSE);

  if (self->sip == NULL)
    return FALSE;
  return hail_sip_session_handle_request (self->sip, txn, request);
}

void
hail_chat_session_close (HailChatSession *self)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));

  finish (self, NULL);
}

void
hail_chat_session_abort (HailChatSession *self,
                         const GError    *reason)
{
  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));
  g_return_if_fail (reason != NULL);

  finish (self, reason);
}

void
hail_chat_session_close_async (HailChatSession     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HailSipSessionState state;

  g_return_if_fail (HAIL_IS_CHAT_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_session_close_async);
  state = self->sip != NULL ? hail_sip_session_get_state (self->sip)
                            : HAIL_SIP_SESSION_STATE_TERMINATED;
  if (state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      finish (self, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->closing == NULL)
    self->closing = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->closing, g_steal_pointer (&task));
  /* Once closed, the hang-up under way completes the task. */
  finish (self, NULL);
}

gboolean
hail_chat_session_close_finish (HailChatSession  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
