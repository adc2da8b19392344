/* hail-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-window.h"

#include "hail-address.h"
#include "hail-dialpad.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACCOUNTS,
  PROP_ENGINE,
  PROP_HISTORY,
  N_PROPS
};

struct _HailWindow {
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwLeaflet *leaflet;
  GtkSearchEntry *search_entry;
  GtkListBox *accounts_list;
  GtkStack *history_stack;
  AdwStatusPage *history_empty;
  GtkListBox *history_list;
  AdwWindowTitle *content_title;
  GtkStack *content_stack;
  HailDialpad *dialpad;

  /* owned references */
  GSettings *settings;
  HailAccountList *accounts;
  HailEngine *engine;
  GListModel *history;            /* contacts and recent calls, from the core */
  GtkFilter *history_filter;
  GtkFilterListModel *history_filtered;
};

G_DEFINE_FINAL_TYPE (HailWindow, hail_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

static gboolean
engine_available (HailWindow *self)
{
  return self->engine != NULL && hail_engine_is_available (self->engine);
}

static void update_dialpad (HailWindow *self);

/* The words and icon for an account's state; @reason (nullable) is the
 * engine's sentence, shown in full beside the account (UX.md rule 3). */
static char *
account_state_text (HailEngineAccountState  state,
                    const char             *reason,
                    const char            **icon_name)
{
  switch (state)
    {
    case HAIL_ENGINE_ACCOUNT_ONLINE:
      *icon_name = "emblem-ok-symbolic";
      return g_strdup (_("Online"));
    case HAIL_ENGINE_ACCOUNT_CONNECTING:
      *icon_name = "view-refresh-symbolic";
      return g_strdup (_("Connecting…"));
    case HAIL_ENGINE_ACCOUNT_DISABLED:
      *icon_name = "network-offline-symbolic";
      return g_strdup (_("Disabled"));
    case HAIL_ENGINE_ACCOUNT_FAILED:
      *icon_name = "dialog-error-symbolic";
      /* Translators: %s says what went wrong and what to try */
      return reason != NULL ? g_strdup_printf (_("Failed: %s"), reason) : g_strdup (_("Failed"));
    case HAIL_ENGINE_ACCOUNT_OFFLINE:
    default:
      *icon_name = "network-offline-symbolic";
      return g_strdup (reason != NULL ? reason : _("Not connected"));
    }
}

static void
update_account_row (HailWindow        *self,
                    GtkWidget         *row,
                    HailAccountConfig *config)
{
  const char *address = hail_account_config_get_address (config);
  const char *reason = NULL;
  const char *icon_name = NULL;
  HailEngineAccountState state = HAIL_ENGINE_ACCOUNT_OFFLINE;
  g_autofree char *text = NULL;
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "state-icon");
  GtkWidget *retry = g_object_get_data (G_OBJECT (row), "retry-button");

  if (self->engine != NULL)
    state = hail_engine_get_account_state (self->engine, address, &reason);
  if (!hail_account_config_get_enabled (config))
    state = HAIL_ENGINE_ACCOUNT_DISABLED;
  text = account_state_text (state, reason, &icon_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
  if (state == HAIL_ENGINE_ACCOUNT_ONLINE)
    gtk_widget_remove_css_class (icon, "account-offline");
  else
    gtk_widget_add_css_class (icon, "account-offline");
  if (state == HAIL_ENGINE_ACCOUNT_FAILED)
    gtk_widget_add_css_class (icon, "error");
  else
    gtk_widget_remove_css_class (icon, "error");
  gtk_widget_set_visible (retry, engine_available (self) &&
                          (state == HAIL_ENGINE_ACCOUNT_FAILED ||
                           state == HAIL_ENGINE_ACCOUNT_OFFLINE));
}

static void
retry_clicked_cb (GtkButton  *button,
                  HailWindow *self)
{
  const char *address = g_object_get_data (G_OBJECT (button), "address");

  if (self->engine != NULL)
    hail_engine_retry_account (self->engine, address);
}

static void
enabled_changed_cb (GtkSwitch  *toggle,
                    GParamSpec *pspec,
                    HailWindow *self)
{
  HailAccountConfig *config = g_object_get_data (G_OBJECT (toggle), "config");

  if (hail_account_config_get_enabled (config) == gtk_switch_get_active (toggle))
    return;
  hail_account_config_set_enabled (config, gtk_switch_get_active (toggle));
  if (self->accounts != NULL)
    hail_account_list_save (self->accounts, config);
}

static GtkWidget *
create_account_row_cb (gpointer item,
                       gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  HailAccountConfig *config = HAIL_ACCOUNT_CONFIG (item);
  const char *address = hail_account_config_get_address (config);
  const char *name = hail_account_config_get_display_name (config);
  g_autofree char *edit_label = NULL;
  g_autofree char *retry_label = NULL;
  g_autofree char *enable_label = NULL;
  GtkWidget *row, *icon, *edit, *retry, *toggle;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : address);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (name != NULL)
    gtk_widget_set_tooltip_text (row, address);

  icon = gtk_image_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "state-icon", icon);

  retry = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (retry), "address", g_strdup (address), g_free);
  g_signal_connect_object (retry, "clicked", G_CALLBACK (retry_clicked_cb), self, 0);
  /* Translators: %s is a SIP address such as alice@example.com */
  retry_label = g_strdup_printf (_("Retry signing in as %s"), address);
  gtk_widget_set_tooltip_text (retry, retry_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (retry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
  g_object_set_data (G_OBJECT (row), "retry-button", retry);

  edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edit, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "app.edit-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "s", address);
  /* Translators: %s is a SIP address such as alice@example.com */
  edit_label = g_strdup_printf (_("Edit %s"), address);
  gtk_widget_set_tooltip_text (edit, edit_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);

  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), hail_account_config_get_enabled (config));
  g_object_set_data_full (G_OBJECT (toggle), "config", g_object_ref (config), g_object_unref);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (enabled_changed_cb), self, 0);
  /* Translators: %s is a SIP address such as alice@example.com */
  enable_label = g_strdup_printf (_("Use %s"), address);
  gtk_widget_set_tooltip_text (toggle, enable_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, enable_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);

  update_account_row (self, row, config);
  return row;
}

/* The engine says which account changed; find its row. */
static void
account_changed_cb (HailWindow *self,
                    const char *address)
{
  guint n;

  if (self->accounts == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailAccountConfig) config = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                                                   i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->accounts_list, (int) i);

      if (row != NULL && g_strcmp0 (hail_account_config_get_address (config), address) == 0)
        update_account_row (self, GTK_WIDGET (row), config);
    }
  update_dialpad (self);
}

/* The dial pad says why it cannot call instead of failing silently (UX.md rule 4). */
static void
update_dialpad (HailWindow *self)
{
  HailAccountConfig *account = NULL;
  g_autoptr(HailAddress) own = NULL;

  if (self->accounts != NULL)
    account = hail_account_list_get_default (self->accounts);
  if (account != NULL)
    own = hail_address_parse (hail_account_config_get_address (account), NULL, NULL);
  hail_dialpad_set_domain (self->dialpad, own ? hail_address_get_host (own) : NULL);

  if (!engine_available (self))
    hail_dialpad_set_unavailable_reason (self->dialpad,
                                         _("Calling needs the SIP engine, which is not "
                                           "available in this build."));
  else if (account == NULL)
    hail_dialpad_set_unavailable_reason (self->dialpad, _("Add an account to make calls."));
  else if (!hail_account_config_get_enabled (account))
    hail_dialpad_set_unavailable_reason (self->dialpad,
                                         _("Calling needs an account: turn one on in the "
                                           "account list."));
  else if (hail_engine_get_account_state (self->engine, hail_account_config_get_address (account),
                                          NULL) != HAIL_ENGINE_ACCOUNT_ONLINE)
    hail_dialpad_set_unavailable_reason (self->dialpad,
                                         _("Calling needs the account to be online: see its "
                                           "state in the account list."));
  else
    hail_dialpad_set_unavailable_reason (self->dialpad, NULL);
}

/* History items are the core's objects; the window reads only their
 * "title", "subtitle" and "address" string properties, so it needs no
 * knowledge of their type. */
static char *
dup_item_string (gpointer    item,
                 const char *property)
{
  char *value = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), property) != NULL)
    g_object_get (item, property, &value, NULL);
  return value;
}

static gboolean
history_match_cb (gpointer item,
                  gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;

  if (*query == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  for (guint i = 0; i < 3; i++)
    {
      static const char *fields[] = { "title", "subtitle", "address" };
      g_autofree char *value = dup_item_string (item, fields[i]);
      g_autofree char *folded = value ? g_utf8_casefold (value, -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
create_history_row_cb (gpointer item,
                       gpointer user_data)
{
  g_autofree char *title = dup_item_string (item, "title");
  g_autofree char *subtitle = dup_item_string (item, "subtitle");
  g_autofree char *address = dup_item_string (item, "address");
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 title ? title : address ? address : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (address != NULL)
    {
      g_autofree char *label = NULL;
      GtkWidget *dial = gtk_button_new_from_icon_name ("call-start-symbolic");

      gtk_widget_set_valign (dial, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (dial, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (dial), "win.dial");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (dial), "s", address);
      /* Translators: %s is a contact's name or SIP address */
      label = g_strdup_printf (_("Dial %s"), title ? title : address);
      gtk_widget_set_tooltip_text (dial, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dial),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dial);
    }
  return row;
}

static void
update_history_page (HailWindow *self)
{
  gboolean any = self->history_filtered != NULL &&
                 g_list_model_get_n_items (G_LIST_MODEL (self->history_filtered)) > 0;

  gtk_stack_set_visible_child_name (self->history_stack, any ? "list" : "empty");
}

static void
accounts_changed_cb (HailWindow *self)
{
  update_dialpad (self);
}

static void
show_content (HailWindow *self,
              const char *page)
{
  gtk_stack_set_visible_child_name (self->content_stack, page);
  adw_window_title_set_title (self->content_title,
                              g_str_equal (page, "dialpad") ? _("Dial Pad") : "");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
leaflet_folded_cb (HailWindow *self)
{
  /* Folded, the sidebar is the start page: show it, not an empty welcome. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "welcome") == 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
search_changed_cb (HailWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *description = NULL;

  if (self->history_filter != NULL)
    gtk_filter_changed (self->history_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_history_page (self);

  if (*text == '\0')
    {
      adw_status_page_set_title (self->history_empty, _("No Calls or Messages Yet"));
      adw_status_page_set_description (self->history_empty,
                                       _("Your calls, messages and contacts will be listed here."));
      return;
    }
  adw_status_page_set_title (self->history_empty, _("No Results"));
  /* Translators: %s is what the user typed in the search field */
  description = g_markup_printf_escaped (_("Nothing matches “%s”. Press Enter to open it in "
                                           "the dial pad."), text);
  adw_status_page_set_description (self->history_empty, description);
}

static void
search_activate_cb (HailWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (*text != '\0')
    hail_window_dial (self, text);
}

static void
show_dialpad_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  hail_window_show_dialpad (HAIL_WINDOW (widget));
}

static void
dial_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  hail_window_dial (HAIL_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailWindow *self = HAIL_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailWindow *self = HAIL_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static gboolean
hail_window_close_request (GtkWindow *window)
{
  HailWindow *self = HAIL_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", MAX (width, 360));
          g_settings_set_int (self->settings, "window-height", MAX (height, 294));
        }
      g_settings_apply (self->settings);
    }
  return GTK_WINDOW_CLASS (hail_window_parent_class)->close_request (window);
}

static void
hail_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HailWindow *self = HAIL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HailWindow *self = HAIL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_window_constructed (GObject *object)
{
  HailWindow *self = HAIL_WINDOW (object);

  G_OBJECT_CLASS (hail_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  if (self->accounts != NULL)
    {
      gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (self->accounts),
                               create_account_row_cb, self, NULL);
      g_signal_connect_object (self->accounts, "items-changed",
                               G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
    }
  if (self->engine != NULL)
    g_signal_connect_object (self->engine, "account-changed",
                             G_CALLBACK (account_changed_cb), self, G_CONNECT_SWAPPED);
  if (self->history != NULL)
    {
      self->history_filter = GTK_FILTER (gtk_custom_filter_new (history_match_cb, self, NULL));
      self->history_filtered = gtk_filter_list_model_new (g_object_ref (self->history),
                                                          g_object_ref (self->history_filter));
      gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (self->history_filtered),
                               create_history_row_cb, self, NULL);
      g_signal_connect_object (self->history_filtered, "items-changed",
                               G_CALLBACK (update_history_page), self, G_CONNECT_SWAPPED);
    }
  update_history_page (self);
  update_dialpad (self);
}

static void
hail_window_dispose (GObject *object)
{
  HailWindow *self = HAIL_WINDOW (object);

  if (self->accounts_list != NULL)
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);
  if (self->history_list != NULL)
    gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
  /* The filter calls back into self: drop it before self goes. */
  g_clear_object (&self->history_filtered);
  g_clear_object (&self->history_filter);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (hail_window_parent_class)->dispose (object);
}

static void
hail_window_class_init (HailWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = hail_window_get_property;
  object_class->set_property = hail_window_set_property;
  object_class->constructed = hail_window_constructed;
  object_class->dispose = hail_window_dispose;
  window_class->close_request = hail_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", "Settings", "Where the window size is kept",
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", "Accounts", "The accounts shown in the sidebar",
                         HAIL_TYPE_ACCOUNT_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", "Engine", "The SIP engine, which may be unavailable",
                         HAIL_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HailWindow:history:
   *
   * Contacts and recent calls, newest first, as objects with "title",
   * "subtitle" and "address" string properties; %NULL until the core
   * provides them (issue #4).
   */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", "History", "Contacts and recent calls",
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAIL_TYPE_DIALPAD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hail-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HailWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, history_stack);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, history_empty);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, dialpad);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.show-dialpad", NULL, show_dialpad_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.dial", "s", dial_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.show-dialpad", NULL);
}

static void
hail_window_init (HailWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No accounts yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->accounts_list, placeholder);
}

/**
 * hail_window_new:
 * @application: (nullable): the application
 * @settings: (nullable): where the window size is kept
 * @accounts: (nullable): the accounts to show
 * @engine: (nullable): the SIP engine; %NULL is shown as unavailable
 *
 * Returns: (transfer full): a new main window
 */
HailWindow *
hail_window_new (GtkApplication  *application,
                 GSettings       *settings,
                 HailAccountList *accounts,
                 HailEngine      *engine)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (accounts == NULL || HAIL_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (engine == NULL || HAIL_IS_ENGINE (engine), NULL);

  return g_object_new (HAIL_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "accounts", accounts,
                       "engine", engine,
                       NULL);
}

void
hail_window_show_dialpad (HailWindow *self)
{
  g_return_if_fail (HAIL_IS_WINDOW (self));

  show_content (self, "dialpad");
  hail_dialpad_focus_entry (self->dialpad);
}

/* Opens the dial pad with @address filled in, for sip:/tel: links and search. */
void
hail_window_dial (HailWindow *self,
                  const char *address)
{
  g_return_if_fail (HAIL_IS_WINDOW (self));
  g_return_if_fail (address != NULL);

  hail_dialpad_set_text (self->dialpad, address);
  hail_window_show_dialpad (self);
}
