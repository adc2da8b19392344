/* hail-account-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-account-list.h"

/* More accounts than any person has; a corrupt or hostile settings value
 * cannot make the app build an unbounded list. */
#define MAX_ACCOUNTS 64

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

struct _HailAccountList {
  GObject parent_instance;

  /* owned references */
  GSettings *settings;
  GPtrArray *items;        /* HailAccountConfig */

  /* state */
  gboolean writing;        /* ignore our own "changed::accounts" */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailAccountList, hail_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return HAIL_TYPE_ACCOUNT_CONFIG;
}

static guint
get_n_items (GListModel *model)
{
  return HAIL_ACCOUNT_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
load (HailAccountList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  guint removed = self->items->len;
  gsize n = MIN (g_variant_n_children (value), MAX_ACCOUNTS);

  g_ptr_array_set_size (self->items, 0);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) dict = g_variant_get_child_value (value, i);
      g_autoptr(HailAccountConfig) config = hail_account_config_new_from_variant (dict);

      /* An entry without an address cannot be used or shown: skip it. */
      if (hail_account_config_get_address (config) != NULL)
        g_ptr_array_add (self->items, g_steal_pointer (&config));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

static void
store (HailAccountList *self)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->items->len; i++)
    g_variant_builder_add_value (&b, hail_account_config_to_variant (self->items->pdata[i]));
  self->writing = TRUE;
  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&b));
  self->writing = FALSE;
}

static void
accounts_changed_cb (HailAccountList *self)
{
  if (!self->writing)
    load (self);
}

static void
hail_account_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_list_constructed (GObject *object)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (object);

  G_OBJECT_CLASS (hail_account_list_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_signal_connect_object (self->settings, "changed::accounts",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
hail_account_list_dispose (GObject *object)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hail_account_list_parent_class)->dispose (object);
}

static void
hail_account_list_finalize (GObject *object)
{
  HailAccountList *self = HAIL_ACCOUNT_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (hail_account_list_parent_class)->finalize (object);
}

static void
hail_account_list_class_init (HailAccountListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_account_list_get_property;
  object_class->set_property = hail_account_list_set_property;
  object_class->constructed = hail_account_list_constructed;
  object_class->dispose = hail_account_list_dispose;
  object_class->finalize = hail_account_list_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", "Settings", "The settings holding the accounts key",
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_account_list_init (HailAccountList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

HailAccountList *
hail_account_list_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (HAIL_TYPE_ACCOUNT_LIST, "settings", settings, NULL);
}

/**
 * hail_account_list_save:
 * @self: the list
 * @config: a new account, or one already in @self that was edited
 *
 * Writes @config to settings: appended when new, rewritten in place when it
 * is already in the list.
 */
void
hail_account_list_save (HailAccountList   *self,
                        HailAccountConfig *config)
{
  guint pos;

  g_return_if_fail (HAIL_IS_ACCOUNT_LIST (self));
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (config));
  g_return_if_fail (hail_account_config_get_address (config) != NULL);

  if (g_ptr_array_find (self->items, config, &pos))
    {
      store (self);
      g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
      return;
    }
  g_return_if_fail (self->items->len < MAX_ACCOUNTS);
  g_ptr_array_add (self->items, g_object_ref (config));
  store (self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}

void
hail_account_list_remove (HailAccountList   *self,
                          HailAccountConfig *config)
{
  guint pos;

  g_return_if_fail (HAIL_IS_ACCOUNT_LIST (self));
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (config));

  if (!g_ptr_array_find (self->items, config, &pos))
    return;
  g_ptr_array_remove_index (self->items, pos);
  store (self);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
}

/* Returns: (transfer none) (nullable): the first account, used for calls */
HailAccountConfig *
hail_account_list_get_default (HailAccountList *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_LIST (self), NULL);

  return self->items->len > 0 ? self->items->pdata[0] : NULL;
}
