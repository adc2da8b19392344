/* hail-chat.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Store, then send": the history never loses a message the user typed.
 * Each text is written QUEUED before any byte leaves; SENDING before the
 * transaction starts; SENT or FAILED (with the SIP status and reason)
 * when it ends. A run that dies in between leaves QUEUED or SENDING rows,
 * which the next run sends again with the same Call-ID and CSeq, so a
 * peer that got the first copy stores it once.
 */
#include "config.h"

#include "hail-chat.h"

#include "hail-chat-session.h"
#include "hail-sip-charset.h"
#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-transport-types.h"

#include <string.h>

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_COMPOSING,
  SIGNAL_MESSAGE_STATE,
  SIGNAL_SESSION_REQUEST,
  SIGNAL_FILE_RECEIVED,
  SIGNAL_FILE_PROGRESS,
  SIGNAL_FILE_FAILED,
  N_SIGNALS
};

/* One peer's typing state, ours (RFC 3994 §3.2) or theirs (§4). */
typedef struct {
  HailChat *chat;        /* Borrowed: the chat owns the table. */
  char     *remote;
  gboolean  active;
  guint     idle_id;
  guint     refresh_id;
} Composing;

struct _HailChat
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount  *account;
  HailStore    *store;
  GCancellable *cancellable;
  GHashTable   *ours;           /* remote -> Composing, what we send */
  GHashTable   *theirs;         /* remote -> Composing, what peers send */
  GHashTable   *sent_imdn;      /* imdn Message-ID -> row id (gint64 *) */
  GHashTable   *want_display;   /* "remote\nimdn id" of peers asking display */
  GHashTable   *seen;           /* "Call-ID\nCSeq", without a store */
  GQueue       *seen_order;
  GHashTable   *recent;         /* Call-ID -> "From\nbody checksum", newest texts */
  GQueue       *recent_order;
  GHashTable   *resending;      /* row ids (gint64 *) the user is sending again */

  /* State. */
  char         *aor;
  gulong        request_id;
  gboolean      use_cpim;
  gboolean      imdn;
  guint         idle_ms;
  guint         refresh_ms;

  /* Message sessions (issue #8). */
  GPtrArray    *sessions;       /* HailChatSession, every one open or opening */
  GHashTable   *text_sessions;  /* remote -> HailChatSession (borrowed), for texts */
  GHashTable   *waiting;        /* remote -> GPtrArray of GTask, texts waiting for open */
  guint64       max_file_size;
  guint         session_idle_s;
  guint32       session_cseq;
};

G_DEFINE_FINAL_TYPE (HailChat, hail_chat, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
composing_free (Composing *c)
{
  g_clear_handle_id (&c->idle_id, g_source_remove);
  g_clear_handle_id (&c->refresh_id, g_source_remove);
  g_free (c->remote);
  g_free (c);
}

static void
store_state_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_state_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record a message's state: %s", error->message);
}

/* Records a state without waiting for it (the store's one worker keeps
 * the order of writes). */
static void
record_state (HailChat              *self,
              gint64                 id,
              HailStoreMessageState  state,
              guint                  status,
              const char            *reason)
{
  if (self->store == NULL || id == 0)
    return;
  hail_store_set_message_state_async (self->store, id, state, status, reason, NULL,
                                      store_state_cb, NULL);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_STATE], 0, id, (guint) state, status, reason);
}

/* The words and status a failed send is stored with. */
static char *
describe (const GError *error,
          guint         status,
          guint        *report)
{
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    {
      *report = (guint) error->code;
      return g_strdup (error->message);
    }
  return hail_sip_describe_failure (error, status, report);
}

/* Sending, shared by new and pending messages. */

typedef struct {
  char    *to;
  GBytes  *body;
  char    *content_type;
  char    *call_id;
  guint32  cseq;
  char    *imdn_id;
  gint64   id;
  guint    status;
  gboolean resent;
  HailStoreMessageMode mode;
  GError  *refused;       /* Why session mode was not used, for a fallback. */
  GError  *error;
} SendOp;

static void
send_op_free (SendOp *op)
{
  g_free (op->to);
  g_clear_pointer (&op->body, g_bytes_unref);
  g_free (op->content_type);
  g_free (op->call_id);
  g_free (op->imdn_id);
  g_clear_error (&op->refused);
  g_clear_error (&op->error);
  g_free (op);
}

static void
final_state_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_state_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record the outcome of message %" G_GINT64_FORMAT ": %s", op->id,
             error->message);
  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Ends a send with @state: the store's write first, then the task (which
 * takes op->error when there is one). Takes @task. */
static void
finish_send (GTask                 *task,
             HailStoreMessageState  state,
             guint                  report,
             const char            *reason)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  if (self->store == NULL || op->id == 0)
    {
      if (op->error != NULL)
        g_task_return_error (task, g_steal_pointer (&op->error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_MESSAGE_STATE], 0, op->id, (guint) state, report, reason);
  hail_store_set_message_state_async (self->store, op->id, state, report, reason, NULL,
                                      final_state_cb, task);
}

static void
pager_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *reason = NULL;
  HailStoreMessageState state;
  guint report = 0;

  if (hail_sip_pager_send_finish (HAIL_SIP_PAGER (source), result, &op->status, NULL, NULL, NULL,
                                  &op->error))
    {
      state = HAIL_STORE_MESSAGE_STATE_SENT;
      report = op->status;
      reason = g_strdup (hail_sip_status_get_reason_phrase (op->status));
    }
  else if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Hail is stopping: the row stays SENDING for the next start. */
      g_task_return_error (task, g_steal_pointer (&op->error));
      return;
    }
  else
    {
      state = HAIL_STORE_MESSAGE_STATE_FAILED;
      if (op->refused != NULL)
        {
          /* Both ways failed: the reason names both. */
          if (op->refused->domain == HAIL_SIP_STATUS_ERROR)
            g_prefix_error (&op->error, "the peer refused a message session (%d %s), and as a "
                            "MESSAGE: ", op->refused->code, op->refused->message);
          else
            g_prefix_error (&op->error, "no message session (%s), and as a MESSAGE: ",
                            op->refused->message);
        }
      reason = describe (op->error, op->status, &report);
      op->status = report;
    }
  finish_send (g_steal_pointer (&task), state, report, reason);
}

/* Session mode (RFC 4975): texts too long for one UDP datagram. */

static void send_by_pager (GTask *task);

/* Whether a MESSAGE carrying @op would pass RFC 3261 §18.1.1's 1300
 * bytes; the overhead is the pager's own estimate of its headers. */
static gboolean
needs_session (const char *to,
               gsize       body_len)
{
  return body_len + HAIL_CHAT_PAGER_OVERHEAD + 2 * strlen (to) > HAIL_SIP_UDP_MAX_REQUEST_SIZE;
}

/* Whether @error says the peer takes no message session, so that the
 * text may go as a MESSAGE instead: refused with 415, 488 or 606 (or a
 * peer that knows no INVITE), answered without a usable m=message, or an
 * MSRP connection that never came up or broke. */
static gboolean
session_refused (const GError *error)
{
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    return error->code == 415 || error->code == 488 || error->code == 606
           || error->code == 405 || error->code == 501;
  if (error->domain == HAIL_SIP_ERROR)
    return error->code == HAIL_SIP_ERROR_UNSUPPORTED || error->code == HAIL_SIP_ERROR_TRANSPORT
           || error->code == HAIL_SIP_ERROR_TIMEOUT;
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;
  return FALSE;
}

static void
mode_recorded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_mode_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record how a message went: %s", error->message);
}

/* The peer took no session: the text goes as a MESSAGE, over TCP or TLS
 * when it is too long for UDP (the pager's own rule), and the history
 * says so. */
static void
fall_back_to_pager (GTask  *task,
                    GError *why)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  g_debug ("No message session with %s (%s): sending as a MESSAGE", op->to, why->message);
  g_clear_error (&op->refused);
  op->refused = why;
  op->mode = HAIL_STORE_MESSAGE_MODE_PAGER;
  if (self->store != NULL && op->id != 0)
    hail_store_set_message_mode_async (self->store, op->id, HAIL_STORE_MESSAGE_MODE_PAGER, NULL,
                                       mode_recorded_cb, NULL);
  send_by_pager (task);
}

static void
session_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *reason = NULL;
  HailStoreMessageState state = HAIL_STORE_MESSAGE_STATE_SENT;
  guint report = 200;

  if (!hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &op->error))
    {
      if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&op->error));
          return;
        }
      if (session_refused (op->error))
        {
          fall_back_to_pager (g_steal_pointer (&task), g_steal_pointer (&op->error));
          return;
        }
      state = HAIL_STORE_MESSAGE_STATE_FAILED;
      reason = describe (op->error, 0, &report);
    }
  else
    {
      reason = g_strdup ("OK");
    }
  op->status = report;
  finish_send (g_steal_pointer (&task), state, report, reason);
}

static void
session_send (HailChatSession *session,
              GTask           *task)
{
  SendOp *op = g_task_get_task_data (task);

  hail_chat_session_send_async (session, HAIL_SIP_PAGER_TEXT_TYPE, op->body,
                                g_task_get_cancellable (task), session_sent_cb, task);
}

static void session_closed_cb (HailChatSession *session,
                               const GError    *reason,
                               HailChat        *self);

static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HailChat) self = user_data;
  HailChatSession *session = HAIL_CHAT_SESSION (source);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = hail_chat_session_open_finish (session, result, &error);
  if (self->waiting == NULL)
    return;   /* Disposed: the tasks were failed already. */
  g_hash_table_steal_extended (self->waiting, hail_chat_session_get_remote (session),
                               (gpointer *) &remote, (gpointer *) &tasks);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (ok)
        session_send (session, task);
      else if (session_refused (error))
        fall_back_to_pager (task, g_error_copy (error));
      else
        {
          SendOp *op = g_task_get_task_data (task);
          g_autofree char *reason = NULL;
          guint report = 0;

          reason = describe (error, 0, &report);
          op->status = report;
          op->error = g_error_copy (error);
          finish_send (task, HAIL_STORE_MESSAGE_STATE_FAILED, report, reason);
        }
    }
  if (tasks != NULL)
    g_ptr_array_set_free_func (tasks, NULL);
}

static void
session_received_cb (HailChatSession *session,
                     const char      *content_type,
                     GBytes          *content,
                     HailChat        *self);
static void
session_progress_cb (HailChatSession *session,
                     guint64          done,
                     gint64           total,
                     HailChat        *self);
static void
session_receive_failed_cb (HailChatSession *session,
                           const GError    *reason,
                           HailChat        *self);

static void
add_session (HailChat        *self,
             HailChatSession *session)
{
  g_ptr_array_add (self->sessions, g_object_ref (session));
  if (hail_chat_session_get_file (session) == NULL)
    g_hash_table_replace (self->text_sessions, g_strdup (hail_chat_session_get_remote (session)),
                          session);
  g_signal_connect (session, "closed", G_CALLBACK (session_closed_cb), self);
  g_signal_connect (session, "message-received", G_CALLBACK (session_received_cb), self);
  g_signal_connect (session, "receive-progress", G_CALLBACK (session_progress_cb), self);
  g_signal_connect (session, "receive-failed", G_CALLBACK (session_receive_failed_cb), self);
}

/* Sends over the session with the peer, opening one (INVITE) unless one
 * lives; texts typed while it opens wait for it, in order. */
static void
send_by_session (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);
  HailChatSession *session = g_hash_table_lookup (self->text_sessions, op->to);
  g_autoptr(HailChatSession) opened = NULL;
  GPtrArray *tasks;
  GError *error = NULL;

  if (session != NULL && hail_chat_session_get_state (session) == HAIL_CHAT_SESSION_STATE_OPEN)
    {
      session_send (session, task);
      return;
    }
  tasks = g_hash_table_lookup (self->waiting, op->to);
  if (tasks != NULL)
    {
      g_ptr_array_add (tasks, task);
      return;
    }
  opened = hail_chat_session_new_outgoing (self->account, op->to, NULL, &error);
  if (opened == NULL)
    {
      fall_back_to_pager (task, error);
      return;
    }
  hail_chat_session_set_max_size (opened, HAIL_CHAT_MAX_SESSION_TEXT);
  hail_chat_session_set_idle_timeout (opened, self->session_idle_s);
  add_session (self, opened);
  tasks = g_ptr_array_new ();
  g_ptr_array_add (tasks, task);
  g_hash_table_insert (self->waiting, g_strdup (op->to), tasks);
  hail_chat_session_open_async (opened, self->cancellable, session_opened_cb,
                                g_object_ref (self));
}

static void
stop_our_composing (HailChat   *self,
                    const char *to)
{
  /* RFC 3994 §3.2: a message sent ends the active state; no idle is
   * sent for it. */
  g_hash_table_remove (self->ours, to);
}

static void
send_by_pager (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);
  HailSipPagerOutgoing out = { 0 };

  out.to = op->to;
  out.call_id = op->call_id;
  out.cseq = op->cseq;
  out.content_type = op->content_type;
  out.body = op->body;
  out.cpim = self->use_cpim || op->imdn_id != NULL;
  out.imdn_message_id = op->imdn_id;
  if (op->imdn_id != NULL)
    out.disposition = HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY
                      | HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY
                      | HAIL_SIP_CPIM_DISPOSITION_DISPLAY;
  if (op->imdn_id != NULL && op->id != 0)
    {
      gint64 *id = g_new (gint64, 1);

      *id = op->id;
      /* Notifications come soon after the message or not at all; past
       * the bound, the oldest ids are forgotten together. */
      if (g_hash_table_size (self->sent_imdn) >= HAIL_CHAT_MAX_SEEN)
        g_hash_table_remove_all (self->sent_imdn);
      g_hash_table_replace (self->sent_imdn, g_strdup (op->imdn_id), id);
    }
  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out,
                             g_task_get_cancellable (task), pager_sent_cb, task);
}

static void
start_send (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  /* Every send, a new text or one sent again, goes the way its size says. */
  op->mode = needs_session (op->to, g_bytes_get_size (op->body))
             ? HAIL_STORE_MESSAGE_MODE_SESSION : HAIL_STORE_MESSAGE_MODE_PAGER;
  stop_our_composing (self, op->to);
  record_state (self, op->id, HAIL_STORE_MESSAGE_STATE_SENDING, 0,
                op->resent ? HAIL_CHAT_RESENT_REASON : NULL);
  if (op->mode == HAIL_STORE_MESSAGE_MODE_SESSION)
    send_by_session (task);
  else
    send_by_pager (task);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->id = hail_store_add_outgoing_message_finish (HAIL_STORE (source), result, &error);
  if (op->id == 0)
    {
      /* Nothing is sent that the history could not keep. */
      g_prefix_error (&error, "The message was not sent: the history could not store it: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_send (task);
}

/* Incoming messages. */

typedef struct {
  HailChat             *self;
  HailSipPagerIncoming *in;
  HailStoreMessageMode  mode;
} IncomingOp;

static void
incoming_op_free (IncomingOp *op)
{
  g_object_unref (op->self);
  hail_sip_pager_incoming_free (op->in);
  g_free (op);
}

static void
sent_notification_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_sip_pager_send_finish (HAIL_SIP_PAGER (source), result, NULL, NULL, NULL, NULL,
                                   &error))
    g_debug ("A notification was not delivered: %s", error->message);
}

/* RFC 5438 §7.1: a notification is itself a CPIM message with its own
 * Message-ID, carrying message/imdn+xml as a "notification". */
static void
send_imdn (HailChat          *self,
           const char        *to,
           const char        *message_id,
           const char        *datetime,
           HailSipImdnKind    kind,
           HailSipImdnStatus  status)
{
  g_autoptr(GBytes) doc = hail_sip_imdn_write (message_id, datetime, self->aor, kind, status);
  g_autofree char *own_id = hail_sip_imdn_new_message_id ();
  g_autofree char *from = g_strdup_printf ("<%s>", self->aor);
  g_autofree char *to_angle = g_strdup_printf ("<%s>", to);
  g_autoptr(GBytes) body = hail_sip_cpim_write (from, to_angle, own_id,
                                                HAIL_SIP_CPIM_DISPOSITION_NONE,
                                                HAIL_SIP_IMDN_CONTENT_TYPE, "notification", doc);
  HailSipPagerOutgoing out = { .to = to, .content_type = "message/cpim", .body = body };

  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out, self->cancellable,
                             sent_notification_cb, NULL);
}

static gboolean
their_composing_expired_cb (gpointer user_data)
{
  Composing *c = user_data;
  HailChat *self = c->chat;
  g_autofree char *remote = g_strdup (c->remote);

  c->idle_id = 0;
  g_hash_table_remove (self->theirs, remote);
  g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, remote, FALSE);
  return G_SOURCE_REMOVE;
}

static void
their_composing (HailChat   *self,
                 const char *from,
                 gboolean    active,
                 guint       refresh)
{
  Composing *c = g_hash_table_lookup (self->theirs, from);
  gboolean was_active = c != NULL;

  if (!active)
    {
      g_hash_table_remove (self->theirs, from);
      if (was_active)
        g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, from, FALSE);
      return;
    }
  if (c == NULL)
    {
      /* A peer flooding states from ever new addresses is bounded by the
       * table: the oldest entries are not tracked beyond this. */
      if (g_hash_table_size (self->theirs) >= HAIL_CHAT_MAX_SEEN)
        return;
      c = g_new0 (Composing, 1);
      c->chat = self;
      c->remote = g_strdup (from);
      g_hash_table_insert (self->theirs, c->remote, c);
    }
  /* §4: without a refresh the state lapses after 120 s; a refresh under
   * 60 s is raised to 60. */
  if (refresh == 0)
    refresh = HAIL_SIP_ISCOMPOSING_REFRESH_S;
  refresh = MAX (refresh, HAIL_SIP_ISCOMPOSING_MIN_REFRESH_S);
  g_clear_handle_id (&c->idle_id, g_source_remove);
  c->idle_id = g_timeout_add_seconds (MIN (refresh, 3600), their_composing_expired_cb, c);
  if (!was_active)
    g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, from, TRUE);
}

static gboolean
seen_before (HailChat             *self,
             HailSipPagerIncoming *in)
{
  char *key = g_strdup_printf ("%s\n%u", in->call_id, in->cseq);

  if (g_hash_table_contains (self->seen, key))
    {
      g_free (key);
      return TRUE;
    }
  g_hash_table_add (self->seen, key);
  g_queue_push_tail (self->seen_order, key);
  if (g_queue_get_length (self->seen_order) > HAIL_CHAT_MAX_SEEN)
    g_hash_table_remove (self->seen, g_queue_pop_head (self->seen_order));
  return FALSE;
}

/* A sender that restarts sends a message again with its Call-ID and
 * CSeq, but a proxy's challenge can move the CSeq on by one (the first
 * copy went with cached credentials, the second needed a 407), so the
 * store's (Call-ID, CSeq) key misses it. The same Call-ID from the same
 * sender with the same text is that message again. */
static gboolean
resent_copy (HailChat             *self,
             HailSipPagerIncoming *in)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, in->body, -1);
  char *value = g_strdup_printf ("%s\n%s", in->from, sum);
  const char *known = g_hash_table_lookup (self->recent, in->call_id);
  char *key;

  if (known != NULL)
    {
      gboolean same = strcmp (known, value) == 0;

      g_free (value);
      return same;
    }
  key = g_strdup (in->call_id);
  g_hash_table_insert (self->recent, key, value);
  g_queue_push_tail (self->recent_order, key);
  if (g_queue_get_length (self->recent_order) > HAIL_CHAT_MAX_SEEN)
    g_hash_table_remove (self->recent, g_queue_pop_head (self->recent_order));
  return FALSE;
}

static void
deliver (HailChat             *self,
         HailSipPagerIncoming *in,
         HailStoreMessageMode  mode)
{
  their_composing (self, in->from, FALSE, 0);
  /* The detail says the way: "message-received::session". */
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED],
                 g_quark_from_static_string (mode == HAIL_STORE_MESSAGE_MODE_SESSION ? "session"
                                                                                  : "pager"),
                 in->from, in->content_type, in->body);
  if (!self->imdn || in->imdn_message_id == NULL)
    return;
  if (in->disposition & HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY)
    send_imdn (self, in->from, in->imdn_message_id, in->datetime, HAIL_SIP_IMDN_KIND_DELIVERY,
               HAIL_SIP_IMDN_STATUS_DELIVERED);
  if ((in->disposition & HAIL_SIP_CPIM_DISPOSITION_DISPLAY)
      && g_hash_table_size (self->want_display) < HAIL_CHAT_MAX_SEEN)
    g_hash_table_add (self->want_display,
                      g_strdup_printf ("%s\n%s", in->from, in->imdn_message_id));
}

static void
incoming_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  IncomingOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = FALSE;

  if (hail_store_add_incoming_message_finish (HAIL_STORE (source), result, &duplicate,
                                              &error) == 0)
    {
      /* The text is shown anyway: losing it from the screen too would be
       * worse than a gap in the history, which the store reported. */
      g_debug ("Could not store an incoming message: %s", error->message);
      if (!seen_before (op->self, op->in))
        deliver (op->self, op->in, op->mode);
    }
  else if (duplicate)
    g_debug ("MESSAGE %s/%u is a retransmission; stored already", op->in->call_id, op->in->cseq);
  else
    deliver (op->self, op->in, op->mode);
  incoming_op_free (op);
}

static void
take_text (HailChat             *self,
           HailSipPagerIncoming *in,
           HailStoreMessageMode  mode)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  IncomingOp *op;

  if (resent_copy (self, in))
    {
      g_debug ("MESSAGE %s came again from %s after a restart; shown and stored already",
               in->call_id, in->from);
      hail_sip_pager_incoming_free (in);
      return;
    }
  if (self->store == NULL)
    {
      if (!seen_before (self, in))
        deliver (self, in, mode);
      hail_sip_pager_incoming_free (in);
      return;
    }
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", self->aor,
                        "remote", in->from,
                        "direction", HAIL_STORE_DIRECTION_IN,
                        "body", in->body,
                        "content-type", in->content_type,
                        "call-id", in->call_id,
                        "cseq", (guint) in->cseq,
                        "imdn-id", in->imdn_message_id,
                        "mode", mode,
                        "state", HAIL_STORE_MESSAGE_STATE_DELIVERED,
                        "time-received", g_get_real_time (),
                        NULL);
  op = g_new0 (IncomingOp, 1);
  op->self = g_object_ref (self);
  op->in = in;
  op->mode = mode;
  hail_store_add_incoming_message_async (self->store, draft, NULL, incoming_stored_cb, op);
}

static void
take_imdn (HailChat             *self,
           HailSipPagerIncoming *in)
{
  gint64 *id = g_hash_table_lookup (self->sent_imdn, in->imdn->message_id);

  if (id == NULL)
    {
      g_debug ("A notification for unknown message %s", in->imdn->message_id);
      return;
    }
  switch (in->imdn->status)
    {
    case HAIL_SIP_IMDN_STATUS_DELIVERED:
      record_state (self, *id, HAIL_STORE_MESSAGE_STATE_DELIVERED, 200, "delivered");
      break;
    case HAIL_SIP_IMDN_STATUS_DISPLAYED:
      record_state (self, *id, HAIL_STORE_MESSAGE_STATE_DISPLAYED, 200, "displayed");
      break;
    case HAIL_SIP_IMDN_STATUS_FAILED:
    case HAIL_SIP_IMDN_STATUS_FORBIDDEN:
    case HAIL_SIP_IMDN_STATUS_ERROR:
    default:
      record_state (self, *id, HAIL_STORE_MESSAGE_STATE_FAILED, 0,
                    "the recipient's device reported that delivery failed");
      break;
    }
}

/* Incoming message sessions. */

static void
session_closed_cb (HailChatSession *session,
                   const GError    *reason,
                   HailChat        *self)
{
  const char *remote = hail_chat_session_get_remote (session);

  if (reason != NULL)
    g_debug ("Message session with %s ended: %s", remote, reason->message);
  if (g_hash_table_lookup (self->text_sessions, remote) == session)
    g_hash_table_remove (self->text_sessions, remote);
  g_signal_handlers_disconnect_by_data (session, self);
  /* The emission holds its own reference while we drop ours. */
  g_ptr_array_remove (self->sessions, session);
}

/* A text over a session: as a MESSAGE's would be, converted to valid
 * UTF-8 and unwrapped from CPIM, then stored once and shown. */
static void
session_received_cb (HailChatSession *session,
                     const char      *content_type,
                     GBytes          *content,
                     HailChat        *self)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);
  g_autoptr(HailSipPagerIncoming) in = NULL;
  g_autoptr(HailSipCpim) cpim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  GBytes *body = content;
  gsize len;
  const char *data;

  if (file != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FILE_RECEIVED], 0, hail_chat_session_get_remote (session),
                     file->name, content_type, content);
      return;
    }
  if (g_ascii_strncasecmp (content_type, "message/cpim", 12) == 0)
    {
      data = g_bytes_get_data (content, &len);
      cpim = hail_sip_cpim_parse (data, len, &error);
      if (cpim == NULL)
        {
          g_debug ("Dropping a CPIM message from %s: %s", hail_chat_session_get_remote (session),
                   error->message);
          return;
        }
      body = cpim->body;
      content_type = cpim->content_type != NULL ? cpim->content_type : "text/plain";
    }
  if (g_ascii_strncasecmp (content_type, "text/plain", 10) != 0)
    {
      g_debug ("Dropping a %s message from %s: only text is shown", content_type,
               hail_chat_session_get_remote (session));
      return;
    }
  in = g_new0 (HailSipPagerIncoming, 1);
  in->kind = HAIL_SIP_PAGER_KIND_TEXT;
  data = g_bytes_get_data (body, &len);
  in->body = hail_sip_charset_to_utf8 (data, len, NULL, &error);
  if (in->body == NULL)
    {
      g_debug ("Dropping a text from %s: %s", hail_chat_session_get_remote (session),
               error->message);
      return;
    }
  type = g_strdup (content_type);
  in->content_type = g_steal_pointer (&type);
  in->from = g_strdup (hail_chat_session_get_remote (session));
  in->to = g_strdup (self->aor);
  /* The store's (Call-ID, CSeq) key: each message of a session once. */
  in->call_id = hail_sip_stack_new_call_id ();
  in->cseq = ++self->session_cseq;
  if (cpim != NULL)
    {
      in->cpim = TRUE;
      in->imdn_message_id = g_strdup (cpim->imdn_message_id);
      in->disposition = cpim->disposition;
      in->datetime = g_strdup (cpim->datetime);
    }
  take_text (self, g_steal_pointer (&in), HAIL_STORE_MESSAGE_MODE_SESSION);
}

static void
session_progress_cb (HailChatSession *session,
                     guint64          done,
                     gint64           total,
                     HailChat        *self)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);

  if (file != NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_PROGRESS], 0, hail_chat_session_get_remote (session),
                   file->name, done, total, hail_chat_session_get_outgoing (session));
}

static void
session_receive_failed_cb (HailChatSession *session,
                           const GError    *reason,
                           HailChat        *self)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);

  if (file != NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_FAILED], 0, hail_chat_session_get_remote (session),
                   file->name, reason);
  else
    g_debug ("A text from %s did not arrive whole: %s", hail_chat_session_get_remote (session),
             reason->message);
}

/* Answers a message session the front end or the contacts decided on; a
 * text session refused gets 488 (the peer's text then comes as a
 * MESSAGE), a file 603. */
static void
decide (HailChat        *self,
        HailChatSession *session,
        gboolean         take)
{
  g_autoptr(GError) error = NULL;

  if (self->sessions == NULL
      || hail_chat_session_get_state (session) != HAIL_CHAT_SESSION_STATE_NEW)
    return;   /* Disposed, or the peer gave up (CANCEL) meanwhile. */
  if (take && hail_chat_session_accept (session, &error))
    return;
  if (take)
    {
      g_debug ("Could not answer a message session: %s", error->message);
      hail_chat_session_close (session);
      return;
    }
  if (!hail_chat_session_reject (session, hail_chat_session_get_file (session) != NULL
                                               ? 603 : 488, &error))
    g_debug ("Could not decline: %s", error->message);
  session_closed_cb (session, NULL, self);
}

typedef struct {
  HailChat        *self;
  HailChatSession *session;
} Lookup;

static void
contact_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(HailStoreContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  contact = hail_store_find_contact_finish (HAIL_STORE (source), result, &error);
  if (contact == NULL && !g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND))
    g_debug ("Could not look the peer up in the contacts: %s", error->message);
  decide (lookup->self, lookup->session, contact != NULL);
  g_object_unref (lookup->session);
  g_object_unref (lookup->self);
  g_free (lookup);
}

/* An INVITE for a message session: a "session-request" handler decides;
 * without one, the session is taken from the account's contacts and
 * refused for others. */
static void
incoming_session (HailChat                 *self,
                  HailSipServerTransaction *txn,
                  HailSipMessage           *request)
{
  g_autoptr(HailChatSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const HailSdpFileSelector *file;
  gboolean take = FALSE;
  guint status = 400;
  Lookup *lookup;

  session = hail_chat_session_new_incoming (self->account, txn, request, &status, &error);
  if (session == NULL)
    {
      g_autofree char *tag = hail_sip_stack_new_tag ();

      g_debug ("Refusing a message session with %u: %s", status, error->message);
      g_clear_error (&error);
      if (!hail_sip_server_transaction_reply (txn, status, tag, &error))
        g_debug ("Could not answer %u: %s", status, error->message);
      return;
    }
  file = hail_chat_session_get_file (session);
  if (file != NULL && file->size > 0 && (guint64) file->size > self->max_file_size)
    {
      g_debug ("Refusing a file of %" G_GINT64_FORMAT " bytes (the limit is %" G_GUINT64_FORMAT
               ")", file->size, self->max_file_size);
      if (!hail_chat_session_reject (session, 488, &error))
        g_debug ("Could not decline: %s", error->message);
      return;
    }
  if (file != NULL && !g_signal_has_handler_pending (self, signals[SIGNAL_FILE_RECEIVED], 0,
                                                     FALSE))
    {
      /* Nobody would keep it: declined rather than taken and dropped. */
      if (!hail_chat_session_reject (session, 603, &error))
        g_debug ("Could not decline: %s", error->message);
      return;
    }
  hail_chat_session_set_max_size (session, file != NULL ? self->max_file_size
                                                        : HAIL_CHAT_MAX_SESSION_TEXT);
  hail_chat_session_set_idle_timeout (session, self->session_idle_s);
  /* In the list from now on: a CANCEL or the ACK finds it. */
  add_session (self, session);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_SESSION_REQUEST], 0, FALSE)
      || self->store == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_SESSION_REQUEST], 0,
                     hail_chat_session_get_remote (session), file != NULL ? file->name : NULL,
                     &take);
      decide (self, session, take);
      return;
    }
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->session = g_object_ref (session);
  hail_store_find_contact_async (self->store, hail_chat_session_get_remote (session),
                                 self->cancellable, contact_found_cb, lookup);
}

static gboolean
request_cb (HailAccount              *account,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            HailChat                 *self)
{
  HailSipPagerIncoming *in;
  g_autoptr(GError) error = NULL;
  const HailSipNameAddr *to = hail_sip_message_get_to (request);

  for (guint i = 0; i < self->sessions->len; i++)
    if (hail_chat_session_handle_request (g_ptr_array_index (self->sessions, i), txn, request))
      return TRUE;
  if (txn != NULL && hail_sip_message_is_method (request, "INVITE")
      && (to == NULL || !hail_sip_span_present (to->tag)))
    {
      HailSipSpan body = hail_sip_message_get_body (request);
      g_autoptr(GBytes) sdp = g_bytes_new (body.ptr, body.len);

      if (!hail_msrp_sdp_is_message_session (sdp))
        return FALSE;
      incoming_session (self, txn, request);
      return TRUE;
    }
  if (txn == NULL || !hail_sip_message_is_method (request, "MESSAGE"))
    return FALSE;
  in = hail_sip_pager_receive (hail_account_get_pager (self->account), txn, request, &error);
  if (in == NULL)
    return TRUE;   /* Answered with 400 or 415. */
  switch (in->kind)
    {
    case HAIL_SIP_PAGER_KIND_TEXT:
      take_text (self, in, HAIL_STORE_MESSAGE_MODE_PAGER);
      return TRUE;
    case HAIL_SIP_PAGER_KIND_COMPOSING:
      their_composing (self, in->from, in->composing->active, in->composing->refresh);
      break;
    case HAIL_SIP_PAGER_KIND_IMDN:
      take_imdn (self, in);
      break;
    default:
      g_assert_not_reached ();
    }
  hail_sip_pager_incoming_free (in);
  return TRUE;
}

/* Our typing (RFC 3994 §3.2). */

static void
send_composing (HailChat   *self,
                const char *to,
                gboolean    active)
{
  g_autoptr(GBytes) body = hail_sip_iscomposing_write (active, self->refresh_ms / 1000);
  HailSipPagerOutgoing out = { .to = to, .content_type = HAIL_SIP_ISCOMPOSING_CONTENT_TYPE,
                               .body = body };

  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out, self->cancellable,
                             sent_notification_cb, NULL);
}

static gboolean
our_idle_cb (gpointer user_data)
{
  Composing *c = user_data;
  HailChat *self = c->chat;

  c->idle_id = 0;
  send_composing (self, c->remote, FALSE);
  g_hash_table_remove (self->ours, c->remote);
  return G_SOURCE_REMOVE;
}

static gboolean
our_refresh_cb (gpointer user_data)
{
  Composing *c = user_data;

  send_composing (c->chat, c->remote, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
hail_chat_dispose (GObject *object)
{
  HailChat *self = HAIL_CHAT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->request_id != 0 && self->account != NULL)
    g_signal_handler_disconnect (self->account, self->request_id);
  self->request_id = 0;
  if (self->waiting != NULL)
    {
      GHashTableIter iter;
      GPtrArray *tasks;

      /* Texts waiting for a session that will never open. */
      g_hash_table_iter_init (&iter, self->waiting);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tasks))
        for (guint i = 0; i < tasks->len; i++)
          {
            GTask *task = g_ptr_array_index (tasks, i);

            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "The chat was closed");
            g_object_unref (task);
          }
      g_clear_pointer (&self->waiting, g_hash_table_unref);
    }
  if (self->sessions != NULL)
    {
      g_autoptr(GPtrArray) sessions = g_steal_pointer (&self->sessions);

      for (guint i = 0; i < sessions->len; i++)
        {
          HailChatSession *session = g_ptr_array_index (sessions, i);

          g_signal_handlers_disconnect_by_data (session, self);
          hail_chat_session_close (session);
        }
    }
  g_clear_pointer (&self->text_sessions, g_hash_table_unref);
  g_clear_pointer (&self->ours, g_hash_table_unref);
  g_clear_pointer (&self->theirs, g_hash_table_unref);
  g_clear_object (&self->account);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (hail_chat_parent_class)->dispose (object);
}

static void
hail_chat_finalize (GObject *object)
{
  HailChat *self = HAIL_CHAT (object);

  g_hash_table_unref (self->sent_imdn);
  g_hash_table_unref (self->want_display);
  g_queue_free (self->seen_order);
  g_hash_table_unref (self->seen);
  g_queue_free (self->recent_order);
  g_hash_table_unref (self->recent);
  g_hash_table_unref (self->resending);
  g_free (self->aor);

  G_OBJECT_CLASS (hail_chat_parent_class)->finalize (object);
}

static void
hail_chat_class_init (HailChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_chat_dispose;
  object_class->finalize = hail_chat_finalize;

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SESSION_REQUEST] =
    g_signal_new ("session-request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_FILE_RECEIVED] =
    g_signal_new ("file-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_BYTES);
  signals[SIGNAL_FILE_PROGRESS] =
    g_signal_new ("file-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64,
                  G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[SIGNAL_FILE_FAILED] =
    g_signal_new ("file-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_ERROR);
  signals[SIGNAL_COMPOSING] =
    g_signal_new ("composing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_MESSAGE_STATE] =
    g_signal_new ("message-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
hail_chat_init (HailChat *self)
{
  self->cancellable = g_cancellable_new ();
  self->ours = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) composing_free);
  self->theirs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) composing_free);
  self->sent_imdn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->want_display = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_order = g_queue_new ();
  self->recent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->recent_order = g_queue_new ();
  self->resending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->idle_ms = HAIL_SIP_ISCOMPOSING_IDLE_S * 1000;
  self->refresh_ms = HAIL_SIP_ISCOMPOSING_REFRESH_S * 1000;
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->text_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->max_file_size = HAIL_CHAT_DEFAULT_MAX_FILE_SIZE;
  self->session_idle_s = HAIL_CHAT_SESSION_IDLE_SECONDS;
}

HailChat *
hail_chat_new (HailAccount *account,
               HailStore   *store)
{
  HailChat *self;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (store == NULL || HAIL_IS_STORE (store), NULL);

  self = g_object_new (HAIL_TYPE_CHAT, NULL);
  self->account = g_object_ref (account);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->aor = g_strdup (hail_sip_uri_to_string (hail_account_get_aor (account)));
  self->request_id = g_signal_connect (account, "request", G_CALLBACK (request_cb), self);
  return self;
}

void
hail_chat_set_use_cpim (HailChat *self,
                        gboolean  use_cpim)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->use_cpim = !!use_cpim;
}

void
hail_chat_set_imdn (HailChat *self,
                    gboolean  imdn)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->imdn = !!imdn;
}

void
hail_chat_set_composing_timers (HailChat *self,
                                guint     idle_ms,
                                guint     refresh_ms)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (idle_ms > 0 && refresh_ms > 0);

  self->idle_ms = idle_ms;
  self->refresh_ms = refresh_ms;
}

void
hail_chat_send_async (HailChat            *self,
                      const char          *to,
                      const char          *text,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  g_autoptr(HailStoreMessage) draft = NULL;
  GError *error = NULL;
  SendOp *op;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL && text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_send_async);
  op = g_new0 (SendOp, 1);
  g_task_set_task_data (task, op, (GDestroyNotify) send_op_free);

  uri = hail_account_parse_peer (to, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "The message is not valid UTF-8");
      return;
    }
  op->to = g_strdup (hail_sip_uri_to_string (uri));
  op->body = g_bytes_new (text, strlen (text));
  op->content_type = g_strdup (HAIL_SIP_PAGER_TEXT_TYPE);
  op->call_id = hail_sip_stack_new_call_id ();
  op->cseq = 1;
  op->mode = needs_session (op->to, g_bytes_get_size (op->body))
             ? HAIL_STORE_MESSAGE_MODE_SESSION : HAIL_STORE_MESSAGE_MODE_PAGER;
  /* IMDN rides on CPIM in MESSAGEs; session texts go plain. */
  if (self->imdn && op->mode == HAIL_STORE_MESSAGE_MODE_PAGER)
    op->imdn_id = hail_sip_imdn_new_message_id ();

  if (self->store == NULL)
    {
      start_send (g_steal_pointer (&task));
      return;
    }
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", self->aor,
                        "remote", op->to,
                        "direction", HAIL_STORE_DIRECTION_OUT,
                        "body", text,
                        "content-type", op->content_type,
                        "call-id", op->call_id,
                        "cseq", (guint) op->cseq,
                        "imdn-id", op->imdn_id,
                        "mode", op->mode,
                        "state", HAIL_STORE_MESSAGE_STATE_QUEUED,
                        "time-sent", g_get_real_time (),
                        NULL);
  hail_store_add_outgoing_message_async (self->store, draft, cancellable, stored_cb,
                                         g_steal_pointer (&task));
}

gboolean
hail_chat_send_finish (HailChat      *self,
                       GAsyncResult  *result,
                       guint         *status,
                       gint64        *id,
                       GError       **error)
{
  return hail_chat_send_finish_full (self, result, status, id, NULL, error);
}

gboolean
hail_chat_send_finish_full (HailChat              *self,
                            GAsyncResult          *result,
                            guint                 *status,
                            gint64                *id,
                            HailStoreMessageMode  *mode,
                            GError               **error)
{
  SendOp *op;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = op->status;
  if (id != NULL)
    *id = op->id;
  if (mode != NULL)
    *mode = op->mode;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Pending messages from an earlier run, one after the other. */

typedef struct {
  GListModel *pending;
  guint       next;
  guint       n_sent;
  guint       n_failed;
} ResendData;

static void
resend_data_free (ResendData *data)
{
  g_clear_object (&data->pending);
  g_free (data);
}

/* A send of the stored @message with its own Call-ID and CSeq, so that a
 * peer which got an earlier copy stores it once. */
static GTask *
send_task_for (HailChat            *self,
               HailStoreMessage    *message,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *send = g_task_new (self, cancellable, callback, user_data);
  SendOp *op = g_new0 (SendOp, 1);

  g_task_set_source_tag (send, hail_chat_send_async);
  g_task_set_task_data (send, op, (GDestroyNotify) send_op_free);
  op->to = g_strdup (hail_store_message_get_remote (message));
  op->body = g_bytes_new (hail_store_message_get_body (message),
                          strlen (hail_store_message_get_body (message)));
  op->content_type = g_strdup (hail_store_message_get_content_type (message));
  op->call_id = g_strdup (hail_store_message_get_call_id (message));
  op->cseq = MAX (1, hail_store_message_get_cseq (message));
  op->imdn_id = g_strdup (hail_store_message_get_imdn_id (message));
  op->id = hail_store_message_get_id (message);
  if (op->call_id == NULL)
    op->call_id = hail_sip_stack_new_call_id ();
  return send;
}

static void resend_next (GTask *task);

static void
resent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (hail_chat_send_finish (HAIL_CHAT (source), result, NULL, NULL, &error))
    data->n_sent++;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    data->n_failed++;
  resend_next (g_steal_pointer (&task));
}

static void
resend_next (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  ResendData *data = g_task_get_task_data (task);

  while (data->next < g_list_model_get_n_items (data->pending))
    {
      g_autoptr(HailStoreMessage) message = g_list_model_get_item (data->pending, data->next++);
      g_autoptr(GTask) send = NULL;

      if (g_strcmp0 (hail_store_message_get_account (message), self->aor) != 0)
        continue;
      /* One attempt is the run that died; a second is a resend that died
       * too (the store counts each entry into SENDING). */
      if (hail_store_message_get_send_attempts (message) >= 2
          || (hail_store_message_get_state (message) == HAIL_STORE_MESSAGE_STATE_SENDING
              && g_strcmp0 (hail_store_message_get_reason (message),
                            HAIL_CHAT_RESENT_REASON) == 0))
        {
          record_state (self, hail_store_message_get_id (message), HAIL_STORE_MESSAGE_STATE_FAILED,
                        0, "Hail stopped before the peer answered, twice; not sent again");
          data->n_failed++;
          continue;
        }
      send = send_task_for (self, message, g_task_get_cancellable (task), resent_cb,
                            g_object_ref (task));
      ((SendOp *) g_task_get_task_data (send))->resent = TRUE;
      start_send (g_steal_pointer (&send));
      g_object_unref (task);   /* resent_cb holds its own reference. */
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
pending_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ResendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->pending = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (data->pending == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  resend_next (task);
}

void
hail_chat_resend_pending_async (HailChat            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_CHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_resend_pending_async);
  g_task_set_task_data (task, g_new0 (ResendData, 1), (GDestroyNotify) resend_data_free);
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  hail_store_list_pending_messages_async (self->store, cancellable, pending_listed_cb, task);
}

gboolean
hail_chat_resend_pending_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 guint         *n_sent,
                                 guint         *n_failed,
                                 GError       **error)
{
  ResendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (n_sent != NULL)
    *n_sent = data->n_sent;
  if (n_failed != NULL)
    *n_failed = data->n_failed;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* One failed message the user chose to send again. */

static void
chosen_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChat *self = g_task_get_source_object (task);
  gint64 *id = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;

  g_hash_table_remove (self->resending, id);
  if (!hail_chat_send_finish (HAIL_CHAT (source), result, &status, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, status);
}

static void
chosen_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChat *self = g_task_get_source_object (task);
  gint64 *id = g_task_get_task_data (task);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(HailStoreMessage) message = NULL;
  GError *error = NULL;

  found = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (found == NULL || g_list_model_get_n_items (found) != 1)
    {
      g_hash_table_remove (self->resending, id);
      if (error == NULL)
        error = g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                             "No message has id %" G_GINT64_FORMAT, *id);
      g_task_return_error (task, error);
      return;
    }
  message = g_list_model_get_item (found, 0);
  if (hail_store_message_get_direction (message) != HAIL_STORE_DIRECTION_OUT
      || g_strcmp0 (hail_store_message_get_account (message), self->aor) != 0)
    {
      g_hash_table_remove (self->resending, id);
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                               "Message %" G_GINT64_FORMAT " was not sent from %s", *id,
                               self->aor);
      return;
    }
  /* Only a failure is sent again: a message in flight or sent would
   * reach the peer twice. */
  if (hail_store_message_get_state (message) != HAIL_STORE_MESSAGE_STATE_FAILED)
    {
      g_hash_table_remove (self->resending, id);
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                               "Message %" G_GINT64_FORMAT " has not failed; only a failed "
                               "message is sent again", *id);
      return;
    }
  start_send (send_task_for (self, message, g_task_get_cancellable (task), chosen_sent_cb,
                             g_object_ref (task)));
}

void
hail_chat_resend_message_async (HailChat            *self,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 *key;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_resend_message_async);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                               "This chat keeps no history, so it has no message %"
                               G_GINT64_FORMAT " to send again", id);
      return;
    }
  /* A second click before the first send recorded SENDING would read the
   * row still FAILED and send it twice. */
  if (g_hash_table_contains (self->resending, &id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Message %" G_GINT64_FORMAT " is already being sent again", id);
      return;
    }
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (self->resending, key);
  g_task_set_task_data (task, g_memdup2 (key, sizeof *key), g_free);
  hail_store_get_message_async (self->store, id, cancellable, chosen_found_cb,
                                g_steal_pointer (&task));
}

gboolean
hail_chat_resend_message_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 guint         *status,
                                 GError       **error)
{
  gssize sent_status;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sent_status = g_task_propagate_int (G_TASK (result), error);
  if (sent_status < 0)
    return FALSE;
  if (status != NULL)
    *status = (guint) sent_status;
  return TRUE;
}

void
hail_chat_typing (HailChat   *self,
                  const char *to)
{
  Composing *c;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL);

  c = g_hash_table_lookup (self->ours, to);
  if (c == NULL)
    {
      c = g_new0 (Composing, 1);
      c->chat = self;
      c->remote = g_strdup (to);
      c->active = TRUE;
      g_hash_table_insert (self->ours, c->remote, c);
      /* §3.2: `active` goes out when typing starts, then only as a
       * refresh: keystrokes in between send nothing. */
      send_composing (self, to, TRUE);
      c->refresh_id = g_timeout_add (self->refresh_ms, our_refresh_cb, c);
    }
  g_clear_handle_id (&c->idle_id, g_source_remove);
  c->idle_id = g_timeout_add (self->idle_ms, our_idle_cb, c);
}

void
hail_chat_notify_displayed (HailChat   *self,
                            const char *remote,
                            const char *imdn_message_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (remote != NULL && imdn_message_id != NULL);

  key = g_strdup_printf ("%s\n%s", remote, imdn_message_id);
  if (!self->imdn || !g_hash_table_remove (self->want_display, key))
    return;
  send_imdn (self, remote, imdn_message_id, NULL, HAIL_SIP_IMDN_KIND_DISPLAY,
             HAIL_SIP_IMDN_STATUS_DISPLAYED);
}

void
hail_chat_set_max_file_size (HailChat *self,
                             guint64   max_size)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (max_size > 0);

  self->max_file_size = max_size;
}

void
hail_chat_set_session_idle_timeout (HailChat *self,
                                    guint     seconds)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->session_idle_s = seconds;
}

/* Files (RFC 5547): one session per file, pushed (a=sendonly). */

typedef struct {
  HailChatSession *session;
  GMappedFile     *mapped;
  GBytes          *content;
  char            *content_type;
} FileOp;

static void
file_op_free (FileOp *op)
{
  if (op->session != NULL)
    hail_chat_session_close (op->session);
  g_clear_object (&op->session);
  g_clear_pointer (&op->content, g_bytes_unref);
  g_clear_pointer (&op->mapped, g_mapped_file_unref);
  g_free (op->content_type);
  g_free (op);
}

static void
file_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!hail_chat_session_open_finish (HAIL_CHAT_SESSION (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  hail_chat_session_send_async (op->session, op->content_type, op->content, cancellable,
                                file_sent_cb, g_steal_pointer (&task));
}

static void
file_send_progress_cb (HailChatSession *session,
                       guint64          acknowledged,
                       guint64          total,
                       HailChat        *self)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);

  g_signal_emit (self, signals[SIGNAL_FILE_PROGRESS], 0, hail_chat_session_get_remote (session),
                 file->name, acknowledged, (gint64) total, TRUE);
}

/* RFC 5547 §6: the SHA-1 as colon-separated upper-case hex pairs. */
static char *
file_hash (GBytes *content)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (checksum, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_checksum_get_digest (checksum, digest, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
hail_chat_send_file_async (HailChat            *self,
                           const char          *to,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *hash = NULL;
  HailSdpFileSelector selector = { 0 };
  GError *error = NULL;
  FileOp *op;
  goffset size;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_send_file_async);
  op = g_new0 (FileOp, 1);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);

  path = g_file_get_path (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (path == NULL || info == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             "Only local files can be sent");
      g_task_return_error (task, error);
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               "“%s” is not a regular file", path);
      return;
    }
  size = g_file_info_get_size (info);
  if (size <= 0 || (guint64) size > self->max_file_size)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                               size <= 0 ? "“%s” is empty"
                                         : "“%s” is larger than the file size limit (%"
                                           G_GUINT64_FORMAT " bytes)",
                               path, self->max_file_size);
      return;
    }
  /* Mapped, not read: a large file costs address space, not a copy. */
  op->mapped = g_mapped_file_new (path, FALSE, &error);
  if (op->mapped == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  op->content = g_mapped_file_get_bytes (op->mapped);
  if (g_bytes_get_size (op->content) != (gsize) size)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "“%s” changed while it was being read", path);
      return;
    }
  basename = g_file_get_basename (file);
  guessed = g_content_type_guess (basename, NULL, 0, NULL);
  op->content_type = g_content_type_get_mime_type (guessed);
  if (op->content_type == NULL)
    op->content_type = g_strdup ("application/octet-stream");
  hash = file_hash (op->content);
  selector.name = g_uri_escape_string (basename, NULL, TRUE);
  selector.type = op->content_type;
  selector.size = size;
  selector.hash_algorithm = (char *) "sha-1";
  selector.hash = hash;
  op->session = hail_chat_session_new_outgoing (self->account, to, &selector, &error);
  g_free (selector.name);
  if (op->session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  add_session (self, op->session);
  g_signal_connect_object (op->session, "send-progress", G_CALLBACK (file_send_progress_cb), self,
                           0);
  hail_chat_session_open_async (op->session, cancellable, file_opened_cb,
                                g_steal_pointer (&task));
}

gboolean
hail_chat_send_file_finish (HailChat      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
session_ended_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *left = g_task_get_task_data (task);

  if (!hail_chat_session_close_finish (HAIL_CHAT_SESSION (source), result, NULL))
    g_debug ("A message session did not end cleanly");
  if (--*left == 0)
    g_task_return_boolean (task, TRUE);
}

void
hail_chat_close_sessions_async (HailChat            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  guint *left = g_new0 (guint, 1);

  g_return_if_fail (HAIL_IS_CHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_close_sessions_async);
  g_task_set_task_data (task, left, g_free);
  /* A copy: each close takes the session out of the list. */
  sessions = g_ptr_array_new_full (self->sessions->len, g_object_unref);
  for (guint i = 0; i < self->sessions->len; i++)
    g_ptr_array_add (sessions, g_object_ref (g_ptr_array_index (self->sessions, i)));
  *left = sessions->len + 1;
  for (guint i = 0; i < sessions->len; i++)
    hail_chat_session_close_async (g_ptr_array_index (sessions, i), cancellable,
                                   session_ended_cb, g_object_ref (task));
  if (--*left == 0)
    g_task_return_boolean (task, TRUE);
}

gboolean
hail_chat_close_sessions_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
