/* hail-store-item.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The property plumbing of the item objects (HailStoreMessage, -Conversation,
 * -Call, -Contact). Each is a snapshot of a row whose every property is one
 * field of the instance struct, so a table of field offsets, with each
 * pspec's value type saying how a field is read, written, compared and freed,
 * stands in for one switch per accessor per type.
 */
#include "config.h"

#include "hail-store-private.h"

/* Set once by the first class_init, which every instance and finalize of
 * an item (on the worker thread or the main one) comes after. */
static GQuark field_quark;
static GQuark class_quark;

static gpointer
field_of (GObject    *object,
          GParamSpec *pspec)
{
  gsize offset = GPOINTER_TO_SIZE (g_param_spec_get_qdata (pspec, field_quark));

  /* Offset 0 is the GObject itself: a property set up without a field. */
  g_assert (offset >= sizeof (GObject));
  return G_STRUCT_MEMBER_P (object, offset);
}

static void
item_get_property (GObject    *object,
                   guint       prop_id,
                   GValue     *value,
                   GParamSpec *pspec)
{
  gpointer field = field_of (object, pspec);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (G_TYPE_IS_ENUM (type))
    g_value_set_enum (value, *(gint *) field);
  else if (type == G_TYPE_INT64)
    g_value_set_int64 (value, *(gint64 *) field);
  else if (type == G_TYPE_UINT)
    g_value_set_uint (value, *(guint *) field);
  else if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, *(gboolean *) field);
  else if (type == G_TYPE_STRING)
    g_value_set_string (value, *(char **) field);
  else if (G_TYPE_IS_BOXED (type))
    g_value_set_boxed (value, *(gpointer *) field);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* Construct-only: each field is written once, so nothing is freed here. */
static void
item_set_property (GObject      *object,
                   guint         prop_id,
                   const GValue *value,
                   GParamSpec   *pspec)
{
  gpointer field = field_of (object, pspec);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (G_TYPE_IS_ENUM (type))
    *(gint *) field = g_value_get_enum (value);
  else if (type == G_TYPE_INT64)
    *(gint64 *) field = g_value_get_int64 (value);
  else if (type == G_TYPE_UINT)
    *(guint *) field = g_value_get_uint (value);
  else if (type == G_TYPE_BOOLEAN)
    *(gboolean *) field = g_value_get_boolean (value);
  else if (type == G_TYPE_STRING)
    *(char **) field = g_value_dup_string (value);
  else if (G_TYPE_IS_BOXED (type))
    *(gpointer *) field = g_value_dup_boxed (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* An item type's properties, kept on its GType for finalize. */
typedef struct {
  GParamSpec **pspecs;
  guint        n_pspecs;
} ItemClassInfo;

/* Frees the string and boxed fields, then chains up: the item types derive
 * from GObject directly. */
static void
item_finalize (GObject *object)
{
  GType type = G_OBJECT_TYPE (object);
  const ItemClassInfo *info = g_type_get_qdata (type, class_quark);

  for (guint i = 1; i < info->n_pspecs; i++)
    {
      gpointer *field = field_of (object, info->pspecs[i]);
      GType value_type = G_PARAM_SPEC_VALUE_TYPE (info->pspecs[i]);

      if (value_type == G_TYPE_STRING)
        g_clear_pointer ((char **) field, g_free);
      else if (G_TYPE_IS_BOXED (value_type) && *field != NULL)
        g_boxed_free (value_type, g_steal_pointer (field));
    }

  G_OBJECT_CLASS (g_type_class_peek_parent (G_OBJECT_GET_CLASS (object)))->finalize (object);
}

/* Installs @pspecs (index 0 unused, as with PROP_0) with get_property,
 * set_property and finalize working on the field at offsets[i] of the
 * instance. @pspecs must outlive the class (a static array). */
void
_hail_store_item_class_install (GObjectClass  *object_class,
                                GParamSpec   **pspecs,
                                const gsize   *offsets,
                                guint          n_pspecs)
{
  static gsize quarks_set = 0;
  ItemClassInfo *info = g_new0 (ItemClassInfo, 1);

  if (g_once_init_enter (&quarks_set))
    {
      field_quark = g_quark_from_static_string ("hail-store-item-field");
      class_quark = g_quark_from_static_string ("hail-store-item-class");
      g_once_init_leave (&quarks_set, 1);
    }
  g_assert (g_type_parent (G_OBJECT_CLASS_TYPE (object_class)) == G_TYPE_OBJECT);

  object_class->get_property = item_get_property;
  object_class->set_property = item_set_property;
  object_class->finalize = item_finalize;
  for (guint i = 1; i < n_pspecs; i++)
    g_param_spec_set_qdata (pspecs[i], field_quark, GSIZE_TO_POINTER (offsets[i]));
  g_object_class_install_properties (object_class, n_pspecs, pspecs);
  /* Classes of static types live as long as the process. */
  info->pspecs = pspecs;
  info->n_pspecs = n_pspecs;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), class_quark, info);
}

static gboolean
copy_field (GObject    *self,
            GObject    *from,
            GParamSpec *pspec)
{
  gpointer to_field = field_of (self, pspec);
  gpointer from_field = field_of (from, pspec);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (type == G_TYPE_STRING)
    {
      char **to = to_field;
      const char *value = *(char **) from_field;

      if (g_strcmp0 (*to, value) == 0)
        return FALSE;
      g_free (*to);
      *to = g_strdup (value);
      return TRUE;
    }
  /* The mutable fields are otherwise plain numbers, enums and booleans. */
  g_assert (type == G_TYPE_INT64 || type == G_TYPE_UINT || type == G_TYPE_BOOLEAN ||
            G_TYPE_IS_ENUM (type));
  if (type == G_TYPE_INT64)
    {
      if (*(gint64 *) to_field == *(gint64 *) from_field)
        return FALSE;
      *(gint64 *) to_field = *(gint64 *) from_field;
      return TRUE;
    }
  if (*(guint *) to_field == *(guint *) from_field)
    return FALSE;
  *(guint *) to_field = *(guint *) from_field;
  return TRUE;
}

/* Copies the fields named by @mutable_pspecs from @from, a fresher snapshot
 * of the same row, notifying each one that changed (together, at the end). */
void
_hail_store_item_refresh (GObject     *self,
                          GObject     *from,
                          GParamSpec **mutable_pspecs,
                          guint        n_pspecs)
{
  g_object_freeze_notify (self);
  for (guint i = 0; i < n_pspecs; i++)
    if (copy_field (self, from, mutable_pspecs[i]))
      g_object_notify_by_pspec (self, mutable_pspecs[i]);
  g_object_thaw_notify (self);
}
