/* hail-store-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-message.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_CONVERSATION_ID,
  PROP_ACCOUNT,
  PROP_REMOTE,
  PROP_DIRECTION,
  PROP_BODY,
  PROP_CONTENT_TYPE,
  PROP_TIME_SENT,
  PROP_TIME_RECEIVED,
  PROP_CALL_ID,
  PROP_CSEQ,
  PROP_STATE,
  PROP_STATUS,
  PROP_REASON,
  PROP_MODE,
  PROP_IMDN_ID,
  PROP_SEND_ATTEMPTS,
  N_PROPS
};

struct _HailStoreMessage
{
  GObject parent_instance;

  /* Immutable once constructed. */
  gint64                 id;
  gint64                 conversation_id;
  char                  *account;
  char                  *remote;
  HailStoreDirection     direction;
  char                  *body;
  char                  *content_type;
  gint64                 time_sent;
  gint64                 time_received;
  char                  *call_id;
  guint                  cseq;
  HailStoreMessageMode   mode;
  char                  *imdn_id;

  /* Changes on the main thread only, with notify. */
  HailStoreMessageState  state;
  guint                  status;
  char                  *reason;
  guint                  send_attempts;
};

G_DEFINE_FINAL_TYPE (HailStoreMessage, hail_store_message, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
hail_store_message_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailStoreMessage *self = HAIL_STORE_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_int64 (value, self->conversation_id);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case PROP_TIME_SENT:
      g_value_set_int64 (value, self->time_sent);
      break;
    case PROP_TIME_RECEIVED:
      g_value_set_int64 (value, self->time_received);
      break;
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_CSEQ:
      g_value_set_uint (value, self->cseq);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_IMDN_ID:
      g_value_set_string (value, self->imdn_id);
      break;
    case PROP_SEND_ATTEMPTS:
      g_value_set_uint (value, self->send_attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_message_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HailStoreMessage *self = HAIL_STORE_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_CONVERSATION_ID:
      self->conversation_id = g_value_get_int64 (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_string (value);
      break;
    case PROP_REMOTE:
      self->remote = g_value_dup_string (value);
      break;
    case PROP_DIRECTION:
      self->direction = g_value_get_enum (value);
      break;
    case PROP_BODY:
      self->body = g_value_dup_string (value);
      break;
    case PROP_CONTENT_TYPE:
      self->content_type = g_value_dup_string (value);
      break;
    case PROP_TIME_SENT:
      self->time_sent = g_value_get_int64 (value);
      break;
    case PROP_TIME_RECEIVED:
      self->time_received = g_value_get_int64 (value);
      break;
    case PROP_CALL_ID:
      self->call_id = g_value_dup_string (value);
      break;
    case PROP_CSEQ:
      self->cseq = g_value_get_uint (value);
      break;
    case PROP_STATE:
      self->state = g_value_get_enum (value);
      break;
    case PROP_STATUS:
      self->status = g_value_get_uint (value);
      break;
    case PROP_REASON:
      self->reason = g_value_dup_string (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_IMDN_ID:
      self->imdn_id = g_value_dup_string (value);
      break;
    case PROP_SEND_ATTEMPTS:
      self->send_attempts = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_message_finalize (GObject *object)
{
  HailStoreMessage *self = HAIL_STORE_MESSAGE (object);

  g_free (self->account);
  g_free (self->remote);
  g_free (self->body);
  g_free (self->content_type);
  g_free (self->call_id);
  g_free (self->reason);
  g_free (self->imdn_id);

  G_OBJECT_CLASS (hail_store_message_parent_class)->finalize (object);
}

static void
hail_store_message_class_init (HailStoreMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = hail_store_message_get_property;
  object_class->set_property = hail_store_message_set_property;
  object_class->finalize = hail_store_message_finalize;

  /* Row id; 0 for a draft that was never stored. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_int64 ("conversation-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE] =
    g_param_spec_string ("remote", NULL, NULL, NULL, ro);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, HAIL_TYPE_STORE_DIRECTION,
                       HAIL_STORE_DIRECTION_IN, ro);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, NULL, ro);
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, "text/plain", ro);
  /* Times are microseconds since the Unix epoch (g_get_real_time()); 0 is unknown. */
  properties[PROP_TIME_SENT] =
    g_param_spec_int64 ("time-sent", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_TIME_RECEIVED] =
    g_param_spec_int64 ("time-received", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CALL_ID] =
    g_param_spec_string ("call-id", NULL, NULL, NULL, ro);
  properties[PROP_CSEQ] =
    g_param_spec_uint ("cseq", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_STORE_MESSAGE_STATE,
                       HAIL_STORE_MESSAGE_STATE_QUEUED, ro);
  /* The SIP status of a failure (or of the final answer); 0 when none. */
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, HAIL_TYPE_STORE_MESSAGE_MODE,
                       HAIL_STORE_MESSAGE_MODE_PAGER, ro);
  properties[PROP_IMDN_ID] =
    g_param_spec_string ("imdn-id", NULL, NULL, NULL, ro);
  /* How often the message entered SENDING: at start-up, a SENDING message
   * with one attempt is resent once (same Call-ID); more, it is failed. */
  properties[PROP_SEND_ATTEMPTS] =
    g_param_spec_uint ("send-attempts", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_store_message_init (HailStoreMessage *self)
{
}

HailStoreMessage *
hail_store_message_new (const char         *account,
                        const char         *remote,
                        HailStoreDirection  direction,
                        const char         *body)
{
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (remote != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  return g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "account", account,
                       "remote", remote,
                       "direction", direction,
                       "body", body,
                       NULL);
}

/* Copies the mutable fields of @from, a fresher snapshot of the same row. */
void
_hail_store_message_update (HailStoreMessage *self,
                            HailStoreMessage *from)
{
  g_assert (HAIL_IS_STORE_MESSAGE (self));
  g_assert (HAIL_IS_STORE_MESSAGE (from));
  g_assert (self->id == from->id);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != from->state)
    {
      self->state = from->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->status != from->status)
    {
      self->status = from->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->reason, from->reason) != 0)
    {
      g_free (self->reason);
      self->reason = g_strdup (from->reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
    }
  if (self->send_attempts != from->send_attempts)
    {
      self->send_attempts = from->send_attempts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_ATTEMPTS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

#define GETTER(type, name, field) \
  type hail_store_message_get_##name (HailStoreMessage *self) \
  { \
    g_return_val_if_fail (HAIL_IS_STORE_MESSAGE (self), 0); \
    return self->field; \
  }

GETTER (gint64, id, id)
GETTER (gint64, conversation_id, conversation_id)
GETTER (const char *, account, account)
GETTER (const char *, remote, remote)
GETTER (HailStoreDirection, direction, direction)
GETTER (const char *, body, body)
GETTER (const char *, content_type, content_type)
GETTER (gint64, time_sent, time_sent)
GETTER (gint64, time_received, time_received)
GETTER (const char *, call_id, call_id)
GETTER (guint, cseq, cseq)
GETTER (HailStoreMessageState, state, state)
GETTER (guint, status, status)
GETTER (const char *, reason, reason)
GETTER (HailStoreMessageMode, mode, mode)
GETTER (const char *, imdn_id, imdn_id)
GETTER (guint, send_attempts, send_attempts)
