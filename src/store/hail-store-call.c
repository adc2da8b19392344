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

/* Where each property lives (hail-store-item.c reads and writes it). */
static const gsize offsets[N_PROPS] = {
  [PROP_ID] = G_STRUCT_OFFSET (HailStoreCall, id),
  [PROP_ACCOUNT] = G_STRUCT_OFFSET (HailStoreCall, account),
  [PROP_REMOTE] = G_STRUCT_OFFSET (HailStoreCall, remote),
  [PROP_DIRECTION] = G_STRUCT_OFFSET (HailStoreCall, direction),
  [PROP_CALL_ID] = G_STRUCT_OFFSET (HailStoreCall, call_id),
  [PROP_START_TIME] = G_STRUCT_OFFSET (HailStoreCall, start_time),
  [PROP_ANSWER_TIME] = G_STRUCT_OFFSET (HailStoreCall, answer_time),
  [PROP_END_TIME] = G_STRUCT_OFFSET (HailStoreCall, end_time),
  [PROP_DURATION] = G_STRUCT_OFFSET (HailStoreCall, duration),
  [PROP_STATUS] = G_STRUCT_OFFSET (HailStoreCall, status),
  [PROP_REASON] = G_STRUCT_OFFSET (HailStoreCall, reason),
  [PROP_MISSED] = G_STRUCT_OFFSET (HailStoreCall, missed),
};

static void
hail_store_call_class_init (HailStoreCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;


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

  _hail_store_item_class_install (object_class, properties, offsets, N_PROPS);
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

gboolean
hail_store_call_get_declined (HailStoreCall *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CALL (self), FALSE);
  /* Derived, not stored: the same rule as the store's "missed" in SQL. */
  return self->direction == HAIL_STORE_DIRECTION_IN && self->end_time > 0 &&
         self->answer_time <= 0 &&
         self->status == HAIL_STORE_STATUS_DECLINE;
}
