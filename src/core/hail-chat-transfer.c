/* hail-chat-transfer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value a front end shows for one file transfer. HailChat
 * (hail-chat-files.c) drives it through the setters of
 * hail-chat-private.h; cancel and retry go back to the chat.
 */
#include "config.h"

#include "hail-chat-private.h"

/* "notify::done" at most this often (µs), except for the last byte. */
#define DONE_NOTIFY_INTERVAL_US (100 * 1000)

struct _HailChatTransfer
{
  GObject parent_instance;

  /* Owned references. */
  GWeakRef              chat;
  HailChatSession      *session;     /* The session carrying it, while it lives. */
  GFile                *file;
  char                 *remote;
  char                 *name;
  char                 *content_type;
  char                 *reason;
  char                 *hash;        /* RFC 5547 a=file-selector hash. */

  /* State. */
  gboolean              outgoing;
  guint64               size;
  guint64               done;
  guint64               hashed;      /* Outgoing: bytes hashed before the offer. */
  guint64               reported;    /* Outgoing: bytes 1..N the peer reported. */
  guint64               resumed_from; /* Bytes the last attempt skipped. */
  gint64                last_notify;
  gint64                last_hashed_notify;  /* Apart: the first "done" is notified at once. */
  gint64                id;
  HailChatTransferState state;
  gboolean              unsupported; /* FAILED: the peer's app takes no files. */
};

enum {
  PROP_0,
  PROP_DONE,
  PROP_HASHED,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (HailChatTransferState, hail_chat_transfer_state,
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_PREPARING, "preparing"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_DECLINED, "declined"),
                    G_DEFINE_ENUM_VALUE (HAIL_CHAT_TRANSFER_CANCELLED, "cancelled"))

G_DEFINE_FINAL_TYPE (HailChatTransfer, hail_chat_transfer, G_TYPE_OBJECT)

static void
hail_chat_transfer_dispose (GObject *object)
{
  HailChatTransfer *self = HAIL_CHAT_TRANSFER (object);

  g_clear_object (&self->session);
  g_weak_ref_set (&self->chat, NULL);

  G_OBJECT_CLASS (hail_chat_transfer_parent_class)->dispose (object);
}

static void
hail_chat_transfer_finalize (GObject *object)
{
  HailChatTransfer *self = HAIL_CHAT_TRANSFER (object);

  g_weak_ref_clear (&self->chat);
  g_clear_object (&self->file);
  g_free (self->remote);
  g_free (self->name);
  g_free (self->content_type);
  g_free (self->reason);
  g_free (self->hash);

  G_OBJECT_CLASS (hail_chat_transfer_parent_class)->finalize (object);
}

static void
hail_chat_transfer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailChatTransfer *self = HAIL_CHAT_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_DONE:
      g_value_set_uint64 (value, self->done);
      break;
    case PROP_HASHED:
      g_value_set_uint64 (value, self->hashed);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_chat_transfer_class_init (HailChatTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_chat_transfer_dispose;
  object_class->finalize = hail_chat_transfer_finalize;
  object_class->get_property = hail_chat_transfer_get_property;

  properties[PROP_DONE] =
    g_param_spec_uint64 ("done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HASHED] =
    g_param_spec_uint64 ("hashed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_CHAT_TRANSFER_STATE,
                       HAIL_CHAT_TRANSFER_CONNECTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_chat_transfer_init (HailChatTransfer *self)
{
  g_weak_ref_init (&self->chat, NULL);
}

HailChatTransfer *
_hail_chat_transfer_new (HailChat   *chat,
                         gboolean    outgoing,
                         const char *remote,
                         const char *name,
                         const char *content_type,
                         guint64     size,
                         GFile      *file)
{
  HailChatTransfer *self = g_object_new (HAIL_TYPE_CHAT_TRANSFER, NULL);

  g_weak_ref_set (&self->chat, chat);
  self->outgoing = outgoing;
  self->remote = g_strdup (remote);
  self->name = g_strdup (name);
  self->content_type = g_strdup (content_type);
  self->size = size;
  self->file = file != NULL ? g_object_ref (file) : NULL;
  /* An outgoing file is hashed before it is offered. */
  self->state = outgoing ? HAIL_CHAT_TRANSFER_PREPARING : HAIL_CHAT_TRANSFER_CONNECTING;
  return self;
}

void
_hail_chat_transfer_set_session (HailChatTransfer *self,
                                 HailChatSession  *session)
{
  g_set_object (&self->session, session);
}

HailChat *
_hail_chat_transfer_dup_chat (HailChatTransfer *self)
{
  return g_weak_ref_get (&self->chat);
}

HailChatSession *
_hail_chat_transfer_get_session (HailChatTransfer *self)
{
  return self->session;
}

void
_hail_chat_transfer_set_id (HailChatTransfer *self,
                            gint64            id)
{
  self->id = id;
}

void
_hail_chat_transfer_set_hash (HailChatTransfer *self,
                              const char       *hash)
{
  g_free (self->hash);
  self->hash = g_strdup (hash);
}

const char *
_hail_chat_transfer_get_hash (HailChatTransfer *self)
{
  return self->hash;
}

void
_hail_chat_transfer_set_reported (HailChatTransfer *self,
                                  guint64           reported)
{
  self->reported = MAX (self->reported, MIN (reported, self->size));
}

void
_hail_chat_transfer_reset_reported (HailChatTransfer *self)
{
  self->reported = 0;
}

guint64
_hail_chat_transfer_get_reported (HailChatTransfer *self)
{
  return self->reported;
}

void
_hail_chat_transfer_set_resumed_from (HailChatTransfer *self,
                                      guint64           held)
{
  self->resumed_from = held;
}

guint64
hail_chat_transfer_get_resumed_from (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), 0);

  return self->resumed_from;
}

void
_hail_chat_transfer_set_done (HailChatTransfer *self,
                              guint64           done)
{
  gint64 now = g_get_monotonic_time ();

  if (done == self->done)
    return;
  self->done = done;
  if (done >= self->size || now - self->last_notify >= DONE_NOTIFY_INTERVAL_US)
    {
      self->last_notify = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
}

/* Bytes hashed while PREPARING, notified as "done" is. */
void
_hail_chat_transfer_set_hashed (HailChatTransfer *self,
                                guint64           hashed)
{
  gint64 now = g_get_monotonic_time ();

  if (hashed == self->hashed)
    return;
  self->hashed = hashed;
  if (hashed >= self->size || hashed == 0
      || now - self->last_hashed_notify >= DONE_NOTIFY_INTERVAL_US)
    {
      self->last_hashed_notify = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HASHED]);
    }
}

guint64
hail_chat_transfer_get_hashed (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), 0);

  return self->hashed;
}

/* The transfer FAILED as the peer's app takes no files: set before the
 * state, so that "notify::state" sees it. */
void
_hail_chat_transfer_set_unsupported (HailChatTransfer *self,
                                     gboolean          unsupported)
{
  self->unsupported = unsupported;
}

gboolean
hail_chat_transfer_is_unsupported (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), FALSE);

  return self->unsupported && self->state == HAIL_CHAT_TRANSFER_FAILED;
}

/* A transfer that ended stays ended, but a retry starts it again (from
 * PREPARING, or CONNECTING for a transfer with nothing to hash). */
void
_hail_chat_transfer_set_state (HailChatTransfer      *self,
                               HailChatTransferState  state,
                               const char            *reason)
{
  g_autoptr(GObject) hold G_GNUC_UNUSED = g_object_ref (G_OBJECT (self));

  if (self->state == state
      || (_hail_chat_transfer_is_over (self) && state != HAIL_CHAT_TRANSFER_CONNECTING
          && state != HAIL_CHAT_TRANSFER_PREPARING))
    return;
  g_free (self->reason);
  self->reason = state == HAIL_CHAT_TRANSFER_FAILED || state == HAIL_CHAT_TRANSFER_DECLINED
                 ? g_strdup (reason != NULL ? reason : "the transfer failed") : NULL;
  if (state != HAIL_CHAT_TRANSFER_FAILED)
    self->unsupported = FALSE;
  self->state = state;
  if (state == HAIL_CHAT_TRANSFER_PREPARING)
    _hail_chat_transfer_set_hashed (self, 0);
  if (_hail_chat_transfer_is_over (self))
    {
      g_clear_object (&self->session);
      /* The last figure, whatever the interval. */
      self->last_notify = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
_hail_chat_transfer_is_over (HailChatTransfer *self)
{
  return self->state != HAIL_CHAT_TRANSFER_PREPARING
         && self->state != HAIL_CHAT_TRANSFER_CONNECTING
         && self->state != HAIL_CHAT_TRANSFER_ACTIVE;
}

gboolean
hail_chat_transfer_is_outgoing (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), FALSE);

  return self->outgoing;
}

const char *
hail_chat_transfer_get_remote (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), NULL);

  return self->remote;
}

const char *
hail_chat_transfer_get_name (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), NULL);

  return self->name;
}

const char *
hail_chat_transfer_get_content_type (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), NULL);

  return self->content_type;
}

guint64
hail_chat_transfer_get_size (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), 0);

  return self->size;
}

guint64
hail_chat_transfer_get_done (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), 0);

  return self->done;
}

HailChatTransferState
hail_chat_transfer_get_state (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), HAIL_CHAT_TRANSFER_FAILED);

  return self->state;
}

const char *
hail_chat_transfer_get_reason (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), NULL);

  return self->reason;
}

GFile *
hail_chat_transfer_get_file (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), NULL);

  return self->file;
}

gint64
hail_chat_transfer_get_id (HailChatTransfer *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (self), 0);

  return self->id;
}

void
hail_chat_transfer_cancel (HailChatTransfer *self)
{
  g_autoptr(HailChatSession) session = NULL;

  g_return_if_fail (HAIL_IS_CHAT_TRANSFER (self));

  if (_hail_chat_transfer_is_over (self))
    return;
  session = self->session != NULL ? g_object_ref (self->session) : NULL;
  /* The state first: the session's end must not read as a failure. */
  _hail_chat_transfer_set_state (self, HAIL_CHAT_TRANSFER_CANCELLED, NULL);
  if (session != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "The transfer was cancelled");

      hail_chat_session_abort (session, error);
    }
}

void
hail_chat_transfer_retry_async (HailChatTransfer    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(HailChat) chat = NULL;

  g_return_if_fail (HAIL_IS_CHAT_TRANSFER (self));

  chat = g_weak_ref_get (&self->chat);
  if (chat == NULL || !self->outgoing
      || (self->state != HAIL_CHAT_TRANSFER_FAILED && self->state != HAIL_CHAT_TRANSFER_CANCELLED))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, hail_chat_transfer_retry_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               chat == NULL ? "The chat of this transfer is gone"
                                            : "Only an outgoing transfer that failed or was "
                                              "cancelled can be sent again");
      return;
    }
  _hail_chat_retry_transfer (chat, self, cancellable, callback, user_data);
}

gboolean
hail_chat_transfer_retry_finish (HailChatTransfer  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
