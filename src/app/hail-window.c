/* hail-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-window.h"

#include "hail-account-removal.h"
#include "hail-address.h"
#include "hail-call-view.h"
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
  AdwToastOverlay *toast_overlay;
  GtkListBox *messages_list;
  AdwPreferencesGroup *messages_group;
  GtkListBox *conversations_list;
  AdwPreferencesGroup *conversations_group;
  GtkListBox *contacts_list;
  GtkListBox *calls_list;
  GtkListBox *history_messages_list;
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
  HailStore *store;
  GListModel *conversations;
  GtkFilter *store_filter;         /* contacts and conversations by the search text */
  GtkFilterListModel *contacts_filtered;
  GtkFilterListModel *conversations_filtered;
  GCancellable *cancellable;       /* the store loads */
  GCancellable *search_cancellable;
  GtkFileChooserNative *chooser;
  GHashTable *names;               /* SIP address or number -> contact name */
  GListModel *calls;
};

G_DEFINE_FINAL_TYPE (HailWindow, hail_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

static gboolean
engine_available (HailWindow *self)
{
  return self->engine != NULL && hail_engine_is_available (self->engine);
}

/* The engine's registration state in words, with its reason, kept beside
 * the account until it changes (UX.md rule 3). */
static char *
account_state_text (HailWindow             *self,
                    const char             *address,
                    HailEngineAccountState *state)
{
  g_autoptr(GError) reason = NULL;

  if (self->engine == NULL)
    {
      *state = HAIL_ENGINE_ACCOUNT_STATE_OFFLINE;
      return g_strdup (_("Not connected: the SIP engine is not available in this build"));
    }
  *state = hail_engine_get_account_state (self->engine, address, &reason);
  switch (*state)
    {
    case HAIL_ENGINE_ACCOUNT_STATE_ONLINE:
      return g_strdup (_("Online"));
    case HAIL_ENGINE_ACCOUNT_STATE_REGISTERING:
      return g_strdup (_("Connecting…"));
    case HAIL_ENGINE_ACCOUNT_STATE_OFFLINE:
    case HAIL_ENGINE_ACCOUNT_STATE_FAILED:
    default:
      if (reason != NULL)
        /* Translators: %s says why the account is not connected */
        return g_strdup_printf (_("Not connected: %s"), reason->message);
      return g_strdup (_("Not connected"));
    }
}

typedef struct {
  HailAccountList   *accounts;
  HailAccountConfig *config;
} AccountSave;

static void
account_save_free (gpointer data)
{
  AccountSave *save = data;

  g_object_unref (save->accounts);
  g_object_unref (save->config);
  g_free (save);
}

static gboolean
save_account_cb (gpointer data)
{
  AccountSave *save = data;

  hail_account_list_save (save->accounts, save->config);
  return G_SOURCE_REMOVE;
}

/* Turning an account off signs it out; the engine follows the saved list.
 * Saving replaces the account's row, and this switch with it, while
 * gtk_switch_set_active is still running on the switch: save once it has
 * returned, or the switch is used after it was freed. */
static void
enabled_changed_cb (GtkSwitch  *toggle,
                    GParamSpec *pspec,
                    HailWindow *self)
{
  HailAccountConfig *config = g_object_get_data (G_OBJECT (toggle), "config");
  AccountSave *save;

  if (hail_account_config_get_enabled (config) == gtk_switch_get_active (toggle))
    return;
  hail_account_config_set_enabled (config, gtk_switch_get_active (toggle));
  if (self->accounts == NULL)
    return;
  save = g_new (AccountSave, 1);
  save->accounts = g_object_ref (self->accounts);
  save->config = g_object_ref (config);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, save_account_cb, save, account_save_free);
}

/* An icon button of an account row; @label names it for tooltips and
 * screen readers. */
static GtkWidget *
account_button (const char *icon,
                const char *action,
                const char *address,
                const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", address);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
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
  g_autofree char *remove_label = NULL;
  g_autofree char *enable_label = NULL;
  HailEngineAccountState state;
  g_autofree char *state_text = account_state_text (self, address, &state);
  gboolean online = state == HAIL_ENGINE_ACCOUNT_STATE_ONLINE;
  GtkWidget *row, *icon, *toggle;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : address);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state_text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (name != NULL)
    gtk_widget_set_tooltip_text (row, address);

  icon = gtk_image_new_from_icon_name (online ? "network-transmit-receive-symbolic"
                                              : "network-offline-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  online ? _("Online") : _("Not connected"),
                                  -1);
  if (!online)
    gtk_widget_add_css_class (icon, "account-offline");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (state == HAIL_ENGINE_ACCOUNT_STATE_FAILED)
    {
      g_autofree char *retry_label = NULL;
      GtkWidget *retry = gtk_button_new_with_label (_("Retry"));

      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "win.retry-account");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "s", address);
      /* Translators: %s is a SIP address such as alice@example.com */
      retry_label = g_strdup_printf (_("Connect %s again"), address);
      gtk_widget_set_tooltip_text (retry, retry_label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
    }

  /* Translators: %s is a SIP address such as alice@example.com */
  edit_label = g_strdup_printf (_("Edit %s"), address);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             account_button ("document-edit-symbolic", "app.edit-account",
                                             address, edit_label));
  /* Translators: %s is a SIP address such as alice@example.com */
  remove_label = g_strdup_printf (_("Remove %s"), address);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             account_button ("user-trash-symbolic", "win.remove-account",
                                             address, remove_label));

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
  return row;
}

/* Why calling cannot work now, or NULL: the dial pad and every call
 * button say it instead of failing silently (UX.md rule 4). */
static const char *
call_unavailable_reason (HailWindow *self)
{
  HailAccountConfig *account = NULL;
  GApplication *app;

  if (!engine_available (self))
    return _("Calling needs the SIP engine, which is not available in this build.");
  if (self->accounts != NULL)
    account = hail_account_list_get_default (self->accounts);
  if (account == NULL)
    return _("Add an account to make calls.");
  if (hail_engine_get_account_state (self->engine, hail_account_config_get_address (account),
                                     NULL) != HAIL_ENGINE_ACCOUNT_STATE_ONLINE)
    return _("Calling needs the account to be online: see its state in the account list.");
  /* The application turns app.call off when the engine has no calls. */
  app = g_application_get_default ();
  if (app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "call") &&
      !g_action_group_get_action_enabled (G_ACTION_GROUP (app), "call"))
    return _("Calling is not in this build of Hail yet; messages work.");
  return NULL;
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
  hail_dialpad_set_unavailable_reason (self->dialpad, call_unavailable_reason (self));
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
  /* Once the store shows contacts, conversations and calls, the empty page
   * of the core's list would contradict them. */
  gtk_widget_set_visible (GTK_WIDGET (self->history_stack),
                          any || self->history != NULL || self->store == NULL);
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
                              g_str_equal (page, "dialpad") ? _("Dial Pad")
                              : g_str_equal (page, "history") ? _("History") : "");
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



static GtkWidget *
row_button (const char *icon,
            const char *action,
            const char *target,
            const char *label,
            const char *reason)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  /* A disabled button says why in its tooltip and to screen readers. */
  gtk_widget_set_tooltip_text (button, reason != NULL ? reason : label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason ? reason : "",
                                  -1);
  return button;
}

static const char *
contact_address (HailStoreContact *contact)
{
  const char * const *sip = hail_store_contact_get_sip_addresses (contact);
  const char * const *phone = hail_store_contact_get_phone_numbers (contact);

  if (sip != NULL && sip[0] != NULL)
    return sip[0];
  if (phone != NULL && phone[0] != NULL)
    return phone[0];
  return NULL;
}

/* The contact's name for @address, else @address itself. */
static const char *
display_name (HailWindow *self,
              const char *address)
{
  const char *name = self->names != NULL ? g_hash_table_lookup (self->names, address) : NULL;

  return name != NULL ? name : address;
}

static GHashTable *
index_names (GListModel *contacts)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (contacts); i++)
    {
      g_autoptr(HailStoreContact) contact = g_list_model_get_item (contacts, i);
      const char * const *lists[] = { hail_store_contact_get_sip_addresses (contact),
                                      hail_store_contact_get_phone_numbers (contact) };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint j = 0; lists[l] != NULL && lists[l][j] != NULL; j++)
          g_hash_table_insert (names, g_strdup (lists[l][j]),
                               g_strdup (hail_store_contact_get_name (contact)));
    }
  return names;
}

static GtkWidget *
create_contact_row_cb (gpointer item,
                       gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  HailStoreContact *contact = HAIL_STORE_CONTACT (item);
  const char *name = hail_store_contact_get_name (contact);
  const char *address = contact_address (contact);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar;
  const char *avatar_path = hail_store_contact_get_avatar_path (contact);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  avatar = adw_avatar_new (32, name, TRUE);
  if (avatar_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (avatar_path);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_file (file, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (ADW_AVATAR (avatar), GDK_PAINTABLE (texture));
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  if (address != NULL)
    {
      g_autofree char *call_label = NULL;
      g_autofree char *chat_label = NULL;

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), address);
      /* Translators: %s is a contact's name */
      call_label = g_strdup_printf (_("Call %s"), name);
      /* Translators: %s is a contact's name */
      chat_label = g_strdup_printf (_("Chat with %s"), name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("chat-message-new-symbolic", "app.open-chat",
                                             address, chat_label, NULL));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("call-start-symbolic", "app.call", address,
                                             call_label, call_unavailable_reason (self)));
      /* One click on the row calls (contact_activated_cb); not an action
       * on the row, which would grey out its chat button with it. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }
  return row;
}

/* Calls the contact, or says why it cannot (UX.md rule 4). */
static void
contact_activated_cb (HailWindow    *self,
                      GtkListBoxRow *row)
{
  g_autoptr(HailStoreContact) contact = NULL;
  const char *address;
  const char *reason = call_unavailable_reason (self);

  if (self->contacts_filtered == NULL)
    return;
  contact = g_list_model_get_item (G_LIST_MODEL (self->contacts_filtered),
                                   gtk_list_box_row_get_index (row));
  if (contact == NULL || (address = contact_address (contact)) == NULL)
    return;
  if (reason != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (HAIL_ENGINE_ERROR,
                                                     HAIL_ENGINE_ERROR_UNAVAILABLE, reason);

      hail_window_show_call_error (self, address, error);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.call", "s", address);
}

static GtkWidget *
create_conversation_row_cb (gpointer item,
                            gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  HailStoreConversation *conversation = HAIL_STORE_CONVERSATION (item);
  const char *remote = hail_store_conversation_get_remote (conversation);
  const char *title = hail_store_conversation_get_title (conversation);
  guint unread = hail_store_conversation_get_unread_count (conversation);
  GtkWidget *row = adw_action_row_new ();

  if (title == NULL || *title == '\0')
    title = display_name (self, remote);
  if (g_strcmp0 (title, remote) == 0)
    title = NULL;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : remote);
  if (unread > 0)
    {
      /* Translators: the number of unread messages in a conversation */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread message",
                                                            "%u unread messages", unread),
                                               unread);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
    }
  else if (title != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), remote);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             adw_avatar_new (32, title ? title : remote, TRUE));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.open-conversation");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x",
                                    hail_store_conversation_get_id (conversation));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static GtkWidget *
create_found_message_row_cb (gpointer item,
                             gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  HailStoreMessage *message = HAIL_STORE_MESSAGE (item);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 display_name (self, hail_store_message_get_remote (message)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), hail_store_message_get_body (message));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.open-conversation");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x",
                                    hail_store_message_get_conversation_id (message));
  return row;
}

/* "Missed", "Declined", "Incoming, 1:05", "Outgoing, not answered: Busy Here". */
static char *
call_summary (HailStoreCall *call)
{
  gboolean outgoing = hail_store_call_get_direction (call) == HAIL_STORE_DIRECTION_OUT;
  g_autofree char *duration = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *when = NULL;
  const char *reason = hail_store_call_get_reason (call);

  start = g_date_time_new_from_unix_local (hail_store_call_get_start_time (call) /
                                           G_USEC_PER_SEC);
  when = start != NULL ? g_date_time_format (start, "%x %X") : g_strdup ("");
  if (hail_store_call_get_missed (call))
    /* Translators: %s is the date and time of the call */
    return g_strdup_printf (_("Missed · %s"), when);
  if (hail_store_call_get_declined (call))
    /* Translators: %s is the date and time of a call the user declined */
    return g_strdup_printf (_("Declined · %s"), when);
  if (hail_store_call_get_answer_time (call) <= 0)
    {
      if (reason != NULL && *reason != '\0')
        /* Translators: first %s is the date, second why the call failed */
        return g_strdup_printf (outgoing ? _("Outgoing, not answered · %s · %s")
                                         : _("Incoming, not answered · %s · %s"), when, reason);
      return g_strdup_printf (outgoing ? _("Outgoing, not answered · %s")
                                       : _("Incoming, not answered · %s"), when);
    }
  /* The store counts whole seconds. */
  duration = hail_call_view_format_duration ((guint) CLAMP (hail_store_call_get_duration (call),
                                                            0, G_MAXUINT));
  /* Translators: first %s is the date, second the duration, e.g. 1:05 */
  return g_strdup_printf (outgoing ? _("Outgoing · %s · %s") : _("Incoming · %s · %s"),
                          when, duration);
}

static GtkWidget *
create_call_row_cb (gpointer item,
                    gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  HailStoreCall *call = HAIL_STORE_CALL (item);
  const char *remote = hail_store_call_get_remote (call);
  gboolean outgoing = hail_store_call_get_direction (call) == HAIL_STORE_DIRECTION_OUT;
  gboolean missed = hail_store_call_get_missed (call);
  g_autofree char *summary = call_summary (call);
  g_autofree char *call_label = NULL;
  g_autofree char *chat_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), display_name (self, remote));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  icon = gtk_image_new_from_icon_name (missed ? "call-missed-symbolic"
                                       : outgoing ? "call-outgoing-symbolic"
                                                  : "call-incoming-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  missed ? _("Missed call")
                                  : outgoing ? _("Outgoing call") : _("Incoming call"),
                                  -1);
  if (missed)
    gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  /* Translators: %s is a SIP address or phone number */
  call_label = g_strdup_printf (_("Call %s back"), remote);
  /* Translators: %s is a SIP address or phone number */
  chat_label = g_strdup_printf (_("Chat with %s"), remote);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("chat-message-new-symbolic", "app.open-chat", remote,
                                         chat_label, NULL));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("call-start-symbolic", "app.call", remote, call_label,
                                         call_unavailable_reason (self)));
  return row;
}

static void
account_state_changed_cb (HailWindow *self)
{
  /* Rows are built from the state: build them again. */
  if (self->accounts != NULL)
    gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (self->accounts),
                             create_account_row_cb, self, NULL);
  /* So do the call buttons' reasons, which say why calling is off. */
  if (self->contacts_filtered != NULL)
    gtk_list_box_bind_model (self->contacts_list, G_LIST_MODEL (self->contacts_filtered),
                             create_contact_row_cb, self, NULL);
  if (self->calls != NULL)
    gtk_list_box_bind_model (self->calls_list, self->calls, create_call_row_cb, self, NULL);
  update_dialpad (self);
}

static gboolean
store_item_match_cb (gpointer item,
                     gpointer user_data)
{
  HailWindow *self = HAIL_WINDOW (user_data);
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();

  if (*query == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  if (HAIL_IS_STORE_CONTACT (item))
    {
      const char * const *sip = hail_store_contact_get_sip_addresses (item);
      const char * const *phone = hail_store_contact_get_phone_numbers (item);

      g_ptr_array_add (fields, (gpointer) hail_store_contact_get_name (item));
      for (guint i = 0; sip != NULL && sip[i] != NULL; i++)
        g_ptr_array_add (fields, (gpointer) sip[i]);
      for (guint i = 0; phone != NULL && phone[i] != NULL; i++)
        g_ptr_array_add (fields, (gpointer) phone[i]);
    }
  else if (HAIL_IS_STORE_CONVERSATION (item))
    {
      g_ptr_array_add (fields, (gpointer) hail_store_conversation_get_title (item));
      g_ptr_array_add (fields, (gpointer) hail_store_conversation_get_remote (item));
    }
  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *folded = NULL;

      if (fields->pdata[i] == NULL)
        continue;
      folded = g_utf8_casefold (fields->pdata[i], -1);
      if (strstr (folded, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
update_store_groups (HailWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->conversations_group),
                          self->conversations_filtered != NULL &&
                          g_list_model_get_n_items (G_LIST_MODEL (self->conversations_filtered)));
}

static void
contacts_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) contacts = hail_store_list_contacts_finish (HAIL_STORE (source), result,
                                                                    &error);

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (contacts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        hail_window_show_store_error (self, error);
      return;
    }
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = index_names (contacts);
  /* Conversations and calls show names from now on. */
  gtk_list_box_bind_model (self->conversations_list,
                           G_LIST_MODEL (self->conversations_filtered),
                           create_conversation_row_cb, self, NULL);
  gtk_list_box_bind_model (self->history_messages_list, self->conversations,
                           create_conversation_row_cb, self, NULL);
  if (self->calls != NULL)
    gtk_list_box_bind_model (self->calls_list, self->calls, create_call_row_cb, self, NULL);
  g_clear_object (&self->contacts_filtered);
  self->contacts_filtered = gtk_filter_list_model_new (g_steal_pointer (&contacts),
                                                       g_object_ref (self->store_filter));
  gtk_list_box_bind_model (self->contacts_list, G_LIST_MODEL (self->contacts_filtered),
                           create_contact_row_cb, self, NULL);
}

static void
calls_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) calls = hail_store_list_calls_finish (HAIL_STORE (source), result,
                                                              &error);

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (calls == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        hail_window_show_store_error (self, error);
      return;
    }
  g_set_object (&self->calls, calls);
  gtk_list_box_bind_model (self->calls_list, calls, create_call_row_cb, self, NULL);
}

#define HISTORY_CALLS 200

static void
reload_calls (HailWindow *self)
{
  hail_store_list_calls_async (self->store, HISTORY_CALLS, self->cancellable, calls_loaded_cb,
                               g_object_ref (self));
}

static void
reload_contacts (HailWindow *self)
{
  hail_store_list_contacts_async (self->store, self->cancellable, contacts_loaded_cb,
                                  g_object_ref (self));
}

static void
found_messages_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = hail_store_list_messages_finish (HAIL_STORE (source), result,
                                                                 &error);

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (found == NULL)
    {
      /* A query FTS cannot parse finds nothing; that is not an error to show. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Message search failed: %s", error->message);
      return;
    }
  gtk_list_box_bind_model (self->messages_list, found, create_found_message_row_cb, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->messages_group), g_list_model_get_n_items (found));
}

#define SEARCH_RESULTS 50

static void
search_store (HailWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->store_filter != NULL)
    gtk_filter_changed (self->store_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_store_groups (self);
  if (self->store == NULL || *text == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->messages_group), FALSE);
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  hail_store_search_messages_async (self->store, text, SEARCH_RESULTS, self->search_cancellable,
                                    found_messages_cb, g_object_ref (self));
}

static void
import_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!hail_store_import_vcard_finish (HAIL_STORE (source), result, &n, &error))
    {
      AdwToast *toast;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why the vCard file could not be imported */
      text = g_strdup_printf (_("Contacts not imported: %s"), error->message);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact imported",
                                       "%u contacts imported", n), n);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  reload_contacts (self);
}

static void
chooser_response_cb (HailWindow *self,
                     int         response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
      if (file != NULL)
        hail_store_import_vcard_async (self->store, file, self->cancellable, import_cb,
                                       g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

static void
import_contacts_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  HailWindow *self = HAIL_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new (_("Import Contacts"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("vCard files"));
  gtk_file_filter_add_mime_type (filter, "text/vcard");
  gtk_file_filter_add_mime_type (filter, "text/x-vcard");
  gtk_file_filter_add_suffix (filter, "vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
retry_account_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HailWindow *self = HAIL_WINDOW (widget);

  if (self->engine != NULL)
    hail_engine_retry_account (self->engine, g_variant_get_string (param, NULL));
}

static void
account_removed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (hail_account_removal_run_finish (result, &error))
    return;
  /* Translators: %s says why the keyring kept the removed account's password */
  text = g_strdup_printf (_("The account is removed, but its password is still in the "
                            "keyring: %s"), error->message);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    HailWindow       *self)
{
  HailAccountConfig *config = g_object_get_data (G_OBJECT (dialog), "config");

  if (g_strcmp0 (response, HAIL_ACCOUNT_REMOVAL_RESPONSE) != 0 || self->accounts == NULL)
    return;
  /* Not cancelled with the window: a password left behind would outlive it. */
  hail_account_removal_run_async (self->accounts, config, NULL, account_removed_cb,
                                  g_object_ref (self));
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  HailWindow *self = HAIL_WINDOW (widget);
  const char *address = g_variant_get_string (param, NULL);
  AdwMessageDialog *dialog;
  guint n;

  if (self->accounts == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailAccountConfig) config = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                                                   i);

      if (g_strcmp0 (hail_account_config_get_address (config), address) != 0)
        continue;
      dialog = hail_account_removal_dialog_new (GTK_WINDOW (self), config);
      g_object_set_data_full (G_OBJECT (dialog), "config", g_object_ref (config),
                              g_object_unref);
      g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  hail_window_show_history (HAIL_WINDOW (widget));
}

static void
search_changed_cb (HailWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *description = NULL;

  if (self->history_filter != NULL)
    gtk_filter_changed (self->history_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_history_page (self);
  search_store (self);

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
  if (self->engine != NULL)
    g_signal_connect_object (self->engine, "account-state-changed",
                             G_CALLBACK (account_state_changed_cb), self, G_CONNECT_SWAPPED);
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
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  for (guint i = 0; i < 5; i++)
    {
      GtkListBox *lists[] = { self->contacts_list, self->conversations_list, self->calls_list,
                              self->messages_list, self->history_messages_list };

      if (lists[i] != NULL)
        gtk_list_box_bind_model (lists[i], NULL, NULL, NULL, NULL);
    }
  g_clear_object (&self->contacts_filtered);
  g_clear_object (&self->conversations_filtered);
  g_clear_object (&self->calls);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->store_filter);
  g_clear_object (&self->conversations);
  g_clear_object (&self->store);
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
hail_window_finalize (GObject *object)
{
  HailWindow *self = HAIL_WINDOW (object);

  /* Kept until here: store callbacks after dispose check them. */
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);

  G_OBJECT_CLASS (hail_window_parent_class)->finalize (object);
}

static void
hail_window_class_init (HailWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = hail_window_get_property;
  object_class->set_property = hail_window_set_property;
  object_class->finalize = hail_window_finalize;
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
  gtk_widget_class_bind_template_child (widget_class, HailWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, messages_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, messages_group);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, conversations_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, conversations_group);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, calls_list);
  gtk_widget_class_bind_template_child (widget_class, HailWindow, history_messages_list);
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
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "win.retry-account", "s",
                                   retry_account_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", "s",
                                   remove_account_action);
  gtk_widget_class_install_action (widget_class, "win.import-contacts", NULL,
                                   import_contacts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.show-history", NULL);
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
  self->cancellable = g_cancellable_new ();
  /* Importing needs the store, which opens after the window is shown. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-contacts", FALSE);

  placeholder = gtk_label_new (_("No contacts yet: import a vCard file"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_list_box_set_placeholder (self->contacts_list, placeholder);
  g_signal_connect_object (self->contacts_list, "row-activated",
                           G_CALLBACK (contact_activated_cb), self, G_CONNECT_SWAPPED);
  placeholder = gtk_label_new (_("No calls yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->calls_list, placeholder);
  placeholder = gtk_label_new (_("No messages yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->history_messages_list, placeholder);

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

void
hail_window_set_store (HailWindow *self,
                       HailStore  *store,
                       GListModel *conversations)
{
  g_return_if_fail (HAIL_IS_WINDOW (self));
  g_return_if_fail (HAIL_IS_STORE (store));
  g_return_if_fail (G_IS_LIST_MODEL (conversations));

  if (self->store != NULL)
    return;
  self->store = g_object_ref (store);
  self->conversations = g_object_ref (conversations);
  self->store_filter = GTK_FILTER (gtk_custom_filter_new (store_item_match_cb, self, NULL));
  self->conversations_filtered = gtk_filter_list_model_new (g_object_ref (conversations),
                                                            g_object_ref (self->store_filter));
  gtk_list_box_bind_model (self->conversations_list,
                           G_LIST_MODEL (self->conversations_filtered),
                           create_conversation_row_cb, self, NULL);
  gtk_list_box_bind_model (self->history_messages_list, conversations,
                           create_conversation_row_cb, self, NULL);
  g_signal_connect_object (self->conversations_filtered, "items-changed",
                           G_CALLBACK (update_store_groups), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "call-changed", G_CALLBACK (reload_calls), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-contacts", TRUE);
  update_store_groups (self);
  update_history_page (self);
  reload_contacts (self);
  reload_calls (self);
}

/* The history cannot be read: say so where it would be, and keep it there. */
void
hail_window_show_store_error (HailWindow   *self,
                              const GError *error)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  g_return_if_fail (HAIL_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* Translators: %s says why the history database could not be opened or read */
  text = g_strdup_printf (_("Cannot read the history: %s"), error->message);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
hail_window_show_call_error (HailWindow   *self,
                             const char   *remote,
                             const GError *error)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  g_return_if_fail (HAIL_IS_WINDOW (self));
  g_return_if_fail (remote != NULL);
  g_return_if_fail (error != NULL);

  /* Translators: first %s is who was called, second why it failed */
  text = g_strdup_printf (_("Cannot call %s: %s"), remote, error->message);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
hail_window_show_history (HailWindow *self)
{
  g_return_if_fail (HAIL_IS_WINDOW (self));

  show_content (self, "history");
}
