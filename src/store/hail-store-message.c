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
  PROP_FILE_NAME,
  PROP_FILE_SIZE,
  PROP_FILE_URI,
  PROP_FILE_HASH,
  PROP_FILE_ACKED,
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
  char                  *file_name;
  gint64                 file_size;
  char                  *file_uri;
  char                  *file_hash;
  gint64                 file_acked;

  /* Changes on the main thread only, with notify. */
  HailStoreMessageState  state;
  guint                  status;
  char                  *reason;
  guint                  send_attempts;
};

G_DEFINE_FINAL_TYPE (HailStoreMessage, hail_store_message, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Where each property lives (hail-store-item.c reads and writes it). */
static const gsize offsets[N_PROPS] = {
  [PROP_ID] = G_STRUCT_OFFSET (HailStoreMessage, id),
  [PROP_CONVERSATION_ID] = G_STRUCT_OFFSET (HailStoreMessage, conversation_id),
  [PROP_ACCOUNT] = G_STRUCT_OFFSET (HailStoreMessage, account),
  [PROP_REMOTE] = G_STRUCT_OFFSET (HailStoreMessage, remote),
  [PROP_DIRECTION] = G_STRUCT_OFFSET (HailStoreMessage, direction),
  [PROP_BODY] = G_STRUCT_OFFSET (HailStoreMessage, body),
  [PROP_CONTENT_TYPE] = G_STRUCT_OFFSET (HailStoreMessage, content_type),
  [PROP_TIME_SENT] = G_STRUCT_OFFSET (HailStoreMessage, time_sent),
  [PROP_TIME_RECEIVED] = G_STRUCT_OFFSET (HailStoreMessage, time_received),
  [PROP_CALL_ID] = G_STRUCT_OFFSET (HailStoreMessage, call_id),
  [PROP_CSEQ] = G_STRUCT_OFFSET (HailStoreMessage, cseq),
  [PROP_STATE] = G_STRUCT_OFFSET (HailStoreMessage, state),
  [PROP_STATUS] = G_STRUCT_OFFSET (HailStoreMessage, status),
  [PROP_REASON] = G_STRUCT_OFFSET (HailStoreMessage, reason),
  [PROP_MODE] = G_STRUCT_OFFSET (HailStoreMessage, mode),
  [PROP_IMDN_ID] = G_STRUCT_OFFSET (HailStoreMessage, imdn_id),
  [PROP_SEND_ATTEMPTS] = G_STRUCT_OFFSET (HailStoreMessage, send_attempts),
  [PROP_FILE_NAME] = G_STRUCT_OFFSET (HailStoreMessage, file_name),
  [PROP_FILE_SIZE] = G_STRUCT_OFFSET (HailStoreMessage, file_size),
  [PROP_FILE_URI] = G_STRUCT_OFFSET (HailStoreMessage, file_uri),
  [PROP_FILE_HASH] = G_STRUCT_OFFSET (HailStoreMessage, file_hash),
  [PROP_FILE_ACKED] = G_STRUCT_OFFSET (HailStoreMessage, file_acked),
};

static void
hail_store_message_class_init (HailStoreMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;


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
  /* A file transfer (issue #8): its name, size, where it is (a file://
   * URI: the source, or where it was received) and its RFC 5547 hash. */
  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL, ro);
  properties[PROP_FILE_SIZE] =
    g_param_spec_int64 ("file-size", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FILE_URI] =
    g_param_spec_string ("file-uri", NULL, NULL, NULL, ro);
  properties[PROP_FILE_HASH] =
    g_param_spec_string ("file-hash", NULL, NULL, NULL, ro);
  /* Of an outgoing file: the bytes the peer acknowledged, from which a
   * retry resumes (RFC 5547 §9). */
  properties[PROP_FILE_ACKED] =
    g_param_spec_int64 ("file-acked", NULL, NULL, 0, G_MAXINT64, 0, ro);

  _hail_store_item_class_install (object_class, properties, offsets, N_PROPS);
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
  GParamSpec *mutable[] = {
    properties[PROP_STATE], properties[PROP_STATUS], properties[PROP_REASON],
    properties[PROP_SEND_ATTEMPTS],
  };

  g_assert (HAIL_IS_STORE_MESSAGE (self));
  g_assert (HAIL_IS_STORE_MESSAGE (from));
  g_assert (self->id == from->id);

  _hail_store_item_refresh (G_OBJECT (self), G_OBJECT (from), mutable, G_N_ELEMENTS (mutable));
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
GETTER (const char *, file_name, file_name)
GETTER (const char *, file_uri, file_uri)
GETTER (const char *, file_hash, file_hash)

guint64
hail_store_message_get_file_acked (HailStoreMessage *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE (self), 0);

  return (guint64) self->file_acked;
}

guint64
hail_store_message_get_file_size (HailStoreMessage *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE (self), 0);

  return (guint64) self->file_size;
}
