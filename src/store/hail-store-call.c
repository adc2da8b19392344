/* hail-store-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-call.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT,
  PROP_REMOTE,
  PROP_DIRECTION,
  PROP_CALL_ID,
  PROP_START_TIME,
  PROP_ANSWER_TIME,
  PROP_END_TIME,
  PROP_DURATION,
  PROP_STATUS,
  PROP_REASON,
  PROP_MISSED,
  N_PROPS
};

/* A snapshot of one row of the call history: calls are written by the
 * store's worker and read back whole, so every property is construct-only. */
struct _HailStoreCall
{
  GObject parent_instance;

  gint64              id;
  char               *account;
  char               *remote;
  HailStoreDirection  direction;
  char               *call_id;
  gint64              start_time;
  gint64              answer_time;
  gint64              end_time;
  gint64              duration;
  guint               status;
  char               *reason;
  gboolean            missed;
};

G_DEFINE_FINAL_TYPE (HailStoreCall, hail_store_call, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
hail_store_call_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HailStoreCall *self = HAIL_STORE_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
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
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_ANSWER_TIME:
      g_value_set_int64 (value, self->answer_time);
      break;
    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_MISSED:
      g_value_set_boolean (value, self->missed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_call_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HailStoreCall *self = HAIL_STORE_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
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
    case PROP_CALL_ID:
      self->call_id = g_value_dup_string (value);
      break;
    case PROP_START_TIME:
      self->start_time = g_value_get_int64 (value);
      break;
    case PROP_ANSWER_TIME:
      self->answer_time = g_value_get_int64 (value);
      break;
    case PROP_END_TIME:
      self->end_time = g_value_get_int64 (value);
      break;
    case PROP_DURATION:
      self->duration = g_value_get_int64 (value);
      break;
    case PROP_STATUS:
      self->status = g_value_get_uint (value);
      break;
    case PROP_REASON:
      self->reason = g_value_dup_string (value);
      break;
    case PROP_MISSED:
      self->missed = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_call_finalize (GObject *object)
{
  HailStoreCall *self = HAIL_STORE_CALL (object);

  g_free (self->account);
  g_free (self->remote);
  g_free (self->call_id);
  g_free (self->reason);

  G_OBJECT_CLASS (hail_store_call_parent_class)->finalize (object);
}

static void
hail_store_call_class_init (HailStoreCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = hail_store_call_get_property;
  object_class->set_property = hail_store_call_set_property;
  object_class->finalize = hail_store_call_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE] =
    g_param_spec_string ("remote", NULL, NULL, NULL, ro);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, HAIL_TYPE_STORE_DIRECTION,
                       HAIL_STORE_DIRECTION_IN, ro);
  properties[PROP_CALL_ID] =
    g_param_spec_string ("call-id", NULL, NULL, NULL, ro);
  /* Times are microseconds since the Unix epoch; 0 means "did not happen". */
  properties[PROP_START_TIME] =
    g_param_spec_int64 ("start-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ANSWER_TIME] =
    g_param_spec_int64 ("answer-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Seconds between answer and end; 0 for an unanswered call. */
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_MISSED] =
    g_param_spec_boolean ("missed", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_store_call_init (HailStoreCall *self)
{
}

HailStoreCall *
hail_store_call_new (const char         *account,
                     const char         *remote,
                     HailStoreDirection  direction,
                     const char         *call_id)
{
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (remote != NULL, NULL);

  return g_object_new (HAIL_TYPE_STORE_CALL,
                       "account", account,
                       "remote", remote,
                       "direction", direction,
                       "call-id", call_id,
                       NULL);
}

#define GETTER(type, name) \
  type hail_store_call_get_##name (HailStoreCall *self) \
  { \
    g_return_val_if_fail (HAIL_IS_STORE_CALL (self), 0); \
    return self->name; \
  }

GETTER (gint64, id)
GETTER (const char *, account)
GETTER (const char *, remote)
GETTER (HailStoreDirection, direction)
GETTER (const char *, call_id)
GETTER (gint64, start_time)
GETTER (gint64, answer_time)
GETTER (gint64, end_time)
GETTER (gint64, duration)
GETTER (guint, status)
GETTER (const char *, reason)
GETTER (gboolean, missed)
