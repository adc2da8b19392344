/* hail-application.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-application.h"

#include "hail-account-list.h"
#include "hail-account-wizard.h"
#include "hail-core-engine.h"
#include "hail-call-window.h"
#include "hail-chat-window.h"
#include "hail-file-actions.h"
#include "hail-offline-engine.h"
#include "hail-preferences-window.h"
#include "hail-store-conversation-list.h"
#include "hail-store.h"
#include "hail-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>

struct _HailApplication {
  AdwApplication parent_instance;

  /* owned references */
  GSettings *settings;
  HailAccountList *accounts;
  HailEngine *engine;
  HailFileActions *offers;
  HailStore *store;                 /* NULL until opened, after the window is shown */
  HailStoreConversationList *conversations;
  HailMediaDevices *devices;
  GHashTable *calls;                /* id -> HailCallView, until each ends */
  GCancellable *cancellable;

  /* borrowed references (weak pointers) */
  HailWindow *window;
  HailAccountWizard *wizard;
  GtkWindow *preferences;
  HailCallWindow *call_window;

  /* state */
  guint start_engine_id;
  guint portal_response_id;        /* the Background portal's answer awaited */
  gboolean held_for_background;
  gboolean quitting;
  gboolean store_opening;
};

G_DEFINE_FINAL_TYPE (HailApplication, hail_application, ADW_TYPE_APPLICATION)

/* The device monitor starts with the engine, after the window shows:
 * calls, the call window and the tones all use this one list. */
static void
ensure_devices (HailApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->devices != NULL)
    return;
  self->devices = hail_media_devices_new ();
  if (!hail_media_devices_start (self->devices, &error))
    g_debug ("No device list: %s", error->message);
  hail_core_engine_set_devices (HAIL_CORE_ENGINE (self->engine), self->devices);
}

static gboolean
start_engine_cb (gpointer user_data)
{
  HailApplication *self = user_data;

  self->start_engine_id = 0;
  ensure_devices (self);
  hail_core_engine_start (HAIL_CORE_ENGINE (self->engine));
  return G_SOURCE_REMOVE;
}

/* Registering waits until the first window had its chance to draw: the
 * window is what makes start-up feel fast (UX.md). */
static void
schedule_engine_start (HailApplication *self)
{
  if (self->start_engine_id == 0 && !self->quitting)
    self->start_engine_id = g_idle_add_full (G_PRIORITY_LOW, start_engine_cb, self, NULL);
}

/* Actions can arrive before "activate" (D-Bus activation, gapplication
 * action), so every handler goes through here for its window. */
static HailWindow *
ensure_window (HailApplication *self)
{
  if (self->window == NULL)
    {
      self->window = hail_window_new (GTK_APPLICATION (self), self->settings,
                                      self->accounts, self->engine);
      g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      schedule_engine_start (self);
      if (self->store != NULL)
        hail_window_set_store (self->window, self->store,
                               G_LIST_MODEL (self->conversations));
    }
  return self->window;
}

static GtkWindow *
parent_window (HailApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

static void
wizard_finished_cb (HailApplication   *self,
                    HailAccountConfig *config)
{
  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static void
present_wizard (HailApplication   *self,
                HailAccountConfig *config)
{
  GtkWindow *parent;

  if (self->wizard != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->wizard));
      return;
    }
  parent = GTK_WINDOW (self->window);
  self->wizard = hail_account_wizard_new (self->accounts, self->engine, config);
  g_object_add_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  gtk_window_set_application (GTK_WINDOW (self->wizard), GTK_APPLICATION (self));
  /* On a first run the wizard is the only window (UX.md rule 1). */
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->wizard), parent);
      gtk_window_set_modal (GTK_WINDOW (self->wizard), TRUE);
    }
  g_signal_connect_object (self->wizard, "finished",
                           G_CALLBACK (wizard_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->wizard));
}

static HailStoreConversation *
find_conversation (HailApplication *self,
                   const char      *remote,
                   gint64           id)
{
  GListModel *model = G_LIST_MODEL (self->conversations);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HailStoreConversation) conversation = g_list_model_get_item (model, i);

      if ((id > 0 && hail_store_conversation_get_id (conversation) == id) ||
          (remote != NULL && g_strcmp0 (hail_store_conversation_get_remote (conversation),
                                        remote) == 0))
        return g_steal_pointer (&conversation);
    }
  return NULL;
}

static HailChatWindow *
find_chat_window (HailApplication *self,
                  const char      *remote)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (HAIL_IS_CHAT_WINDOW (l->data) &&
        g_strcmp0 (hail_chat_window_get_remote (l->data), remote) == 0)
      return l->data;
  return NULL;
}

static const char *
default_account (HailApplication *self)
{
  HailAccountConfig *config = hail_account_list_get_default (self->accounts);

  return config != NULL ? hail_account_config_get_address (config) : NULL;
}

/* One window per conversation: a second request presents the first. */
static void
open_chat (HailApplication *self,
           const char      *remote,
           gint64           conversation_id)
{
  g_autoptr(HailStoreConversation) conversation = find_conversation (self, remote,
                                                                     conversation_id);
  HailChatWindow *chat;
  const char *account = default_account (self);
  const char *title = NULL;

  if (conversation != NULL)
    {
      remote = hail_store_conversation_get_remote (conversation);
      account = hail_store_conversation_get_account (conversation);
      title = hail_store_conversation_get_title (conversation);
      conversation_id = hail_store_conversation_get_id (conversation);
    }
  if (remote == NULL)
    return;
  chat = find_chat_window (self, remote);
  if (chat == NULL)
    {
      chat = hail_chat_window_new (self->store, self->engine, account, remote, title,
                                   conversation != NULL ? conversation_id : 0);
      gtk_window_set_application (GTK_WINDOW (chat), GTK_APPLICATION (self));
    }
  gtk_window_present (GTK_WINDOW (chat));
}

static void
message_added_cb (HailApplication  *self,
                  HailStoreMessage *message)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  HailChatWindow *chat;

  if (hail_store_message_get_direction (message) != HAIL_STORE_DIRECTION_IN)
    return;
  chat = find_chat_window (self, hail_store_message_get_remote (message));
  if (chat != NULL && gtk_window_is_active (GTK_WINDOW (chat)))
    return;
  /* Translators: %s is who sent the message */
  title = g_strdup_printf (_("New message from %s"), hail_store_message_get_remote (message));
  notification = g_notification_new (title);
  g_notification_set_body (notification, hail_store_message_get_body (message));
  g_notification_set_default_action_and_target (notification, "app.open-conversation", "x",
                                                hail_store_message_get_conversation_id (message));
  id = g_strdup_printf ("message-%" G_GINT64_FORMAT,
                        hail_store_message_get_conversation_id (message));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
call_changed_cb (HailApplication *self,
                 HailStoreCall   *call)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  if (!hail_store_call_get_missed (call))
    return;
  /* Translators: %s is who called */
  title = g_strdup_printf (_("Missed call from %s"), hail_store_call_get_remote (call));
  notification = g_notification_new (title);
  g_notification_set_default_action (notification, "app.show-history");
  g_notification_add_button_with_target (notification, _("Call Back"), "app.call", "s",
                                         hail_store_call_get_remote (call));
  id = g_strdup_printf ("missed-%" G_GINT64_FORMAT, hail_store_call_get_id (call));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
conversations_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_conversation_list_load_finish (HAIL_STORE_CONVERSATION_LIST (source), result,
                                                 &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Cannot load the conversations: %s", error->message);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HailApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStore) store = hail_store_new_finish (result, &error);

  self->store_opening = FALSE;
  if (store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->window != NULL)
        hail_window_show_store_error (self->window, error);
      return;
    }
  self->store = g_steal_pointer (&store);
  hail_core_engine_set_store (HAIL_CORE_ENGINE (self->engine), self->store);
  self->conversations = hail_store_conversation_list_new (self->store);
  hail_store_conversation_list_load_async (self->conversations, self->cancellable,
                                           conversations_loaded_cb, NULL);
  g_signal_connect_object (self->store, "message-added",
                           G_CALLBACK (message_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "call-changed",
                           G_CALLBACK (call_changed_cb), self, G_CONNECT_SWAPPED);
  if (self->window != NULL)
    hail_window_set_store (self->window, self->store, G_LIST_MODEL (self->conversations));
}

static void
open_store (HailApplication *self)
{
  if (self->store != NULL || self->store_opening)
    return;
  self->store_opening = TRUE;
  hail_store_new_async (NULL, self->cancellable, store_opened_cb, g_object_ref (self));
}

static void
call_state_cb (HailApplication *self,
               GParamSpec      *pspec,
               HailCallView    *call)
{
  /* Removing it from the table must not finalize it mid-notify. */
  g_autoptr(HailCallView) keep = g_object_ref (call);
  HailCallViewState state = hail_call_view_get_state (call);
  g_autofree char *id = hail_call_view_dup_id (call);
  g_autofree char *notification_id = g_strdup_printf ("call-%s", id);

  if (state != HAIL_CALL_VIEW_STATE_INCOMING)
    g_application_withdraw_notification (G_APPLICATION (self), notification_id);
  if (state == HAIL_CALL_VIEW_STATE_ENDED)
    g_hash_table_remove (self->calls, id);
}

/* The call window shows the new call, or holds it as the waiting one;
 * FALSE when it refused it (a third call). */
static gboolean
show_call (HailApplication *self,
           HailCallView    *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hail_call_view_dup_id (call);

  if (!g_hash_table_contains (self->calls, id))
    {
      g_hash_table_insert (self->calls, g_steal_pointer (&id), g_object_ref (call));
      g_signal_connect_object (call, "notify::state", G_CALLBACK (call_state_cb), self,
                               G_CONNECT_SWAPPED);
    }
  ensure_devices (self);
  if (self->call_window != NULL && hail_call_window_add_call (self->call_window, call))
    {
      gtk_window_present (GTK_WINDOW (self->call_window));
      return TRUE;
    }
  if (self->call_window != NULL)
    {
      /* A third call: busy here, and missed for the user, who never saw
       * it ring. */
      if (!hail_call_view_refuse_busy (call, &error))
        g_debug ("Cannot refuse a third call: %s", error->message);
      return FALSE;
    }
  self->call_window = hail_call_window_new (call, self->devices);
  g_object_add_weak_pointer (G_OBJECT (self->call_window), (gpointer *) &self->call_window);
  gtk_window_set_application (GTK_WINDOW (self->call_window), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (self->call_window));
  return TRUE;
}

static void
incoming_call_cb (HailApplication *self,
                  HailCallView    *call)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *name = hail_call_view_dup_display_name (call);
  g_autofree char *title = NULL;
  g_autofree char *call_id = hail_call_view_dup_id (call);
  g_autofree char *id = g_strdup_printf ("call-%s", call_id);

  /* A refused call is notified as missed once it ends (see
   * call_changed_cb()). */
  if (!show_call (self, call))
    return;
  /* Translators: %s is who is calling */
  title = g_strdup_printf (_("Incoming call from %s"), name);
  notification = g_notification_new (title);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_category (notification, "call.incoming");
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline-call", "s",
                                         call_id);
  g_notification_add_button_with_target (notification, _("Answer"), "app.answer-call", "s",
                                         call_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
present_first_window (HailApplication *self)
{
  schedule_engine_start (self);
  if (self->window == NULL && self->wizard == NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    present_wizard (self, NULL);
  else if (self->window == NULL && self->wizard != NULL)
    gtk_window_present (GTK_WINDOW (self->wizard));
  else
    gtk_window_present (GTK_WINDOW (ensure_window (self)));
  /* History loads once a window is on screen, never before (UX.md). */
  open_store (self);
}

static void
engine_shutdown_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HailApplication) self = user_data;

  hail_engine_shutdown_finish (HAIL_ENGINE (source), result);
  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

/* Signs the accounts out before the process ends, so the registrar does
 * not route calls to a dead Contact; the engine bounds the wait. The hold
 * keeps the main loop running meanwhile, without any window. */
static void
begin_quit (HailApplication *self)
{
  if (self->quitting)
    return;
  self->quitting = TRUE;
  g_clear_handle_id (&self->start_engine_id, g_source_remove);
  g_application_hold (G_APPLICATION (self));
  hail_engine_shutdown_async (self->engine, engine_shutdown_cb, g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  GList *windows;

  /* Destroy the windows so they save their state and free everything
   * before the main loop ends. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  begin_quit (self);
}

/* Closing the last window ends the app unless it runs in the background:
 * sign out first, as app.quit does. */
static void
window_removed_cb (HailApplication *self)
{
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL &&
      !self->held_for_background)
    begin_quit (self);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  static const char *developers[] = { "The Hail developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent_window (self),
                        "application", self,
                        "application-name", _("Hail"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Hail developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/hailphone/hail",
                        "issue-url", "https://github.com/hailphone/hail/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "copyright", "© 2026 The Hail developers",
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (hail_preferences_window_new (self->settings));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_set_transient_for (self->preferences, parent_window (self));
      gtk_window_set_application (self->preferences, GTK_APPLICATION (self));
      if (HAIL_IS_CORE_ENGINE (self->engine))
        {
          HailSipTrace *trace = hail_core_engine_get_sip_trace (HAIL_CORE_ENGINE (self->engine));

          hail_preferences_window_set_sip_trace (HAIL_PREFERENCES_WINDOW (self->preferences),
                                                 trace);
        }
    }
  gtk_window_present (self->preferences);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/hail-shortcuts-window.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (window, parent_window (self));
  gtk_window_set_application (window, GTK_APPLICATION (self));
  gtk_window_present (window);
}

static void
dial_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  HailWindow *window = ensure_window (self);

  hail_window_dial (window, g_variant_get_string (param, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static void
new_account_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  present_wizard (HAIL_APPLICATION (user_data), NULL);
}

static void
edit_account_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  const char *address = g_variant_get_string (param, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailAccountConfig) config = NULL;

      config = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (hail_account_config_get_address (config), address) == 0)
        {
          present_wizard (self, config);
          return;
        }
    }
  g_debug ("No account %s to edit", address);
}

static void
call_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  const char *remote = g_variant_get_string (param, NULL);
  g_autoptr(HailCallView) call = NULL;
  g_autoptr(GError) error = NULL;

  call = hail_engine_start_call (self->engine, default_account (self), remote, &error);
  if (call == NULL)
    {
      HailWindow *window = ensure_window (self);

      hail_window_show_call_error (window, remote, error);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  show_call (self, call);
}

static void
open_chat_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  open_chat (HAIL_APPLICATION (user_data), g_variant_get_string (param, NULL), 0);
}

static void
open_conversation_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  open_chat (HAIL_APPLICATION (user_data), NULL, g_variant_get_int64 (param));
}

static void
answer_call_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  HailCallView *call = g_hash_table_lookup (self->calls, g_variant_get_string (param, NULL));
  g_autoptr(GError) error = NULL;

  if (call == NULL)
    return;
  show_call (self, call);
  /* Answering the waiting call from a notification holds the current one. */
  if (self->call_window != NULL && hail_call_window_get_other (self->call_window) == call)
    gtk_widget_activate_action (GTK_WIDGET (self->call_window), "call.answer-other", NULL);
  else if (!hail_call_view_answer (call, &error))
    g_debug ("Cannot answer: %s", error->message);
}

static void
decline_call_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  HailCallView *call = g_hash_table_lookup (self->calls, g_variant_get_string (param, NULL));
  g_autoptr(GError) error = NULL;

  if (call != NULL && !hail_call_view_hang_up (call, &error))
    g_debug ("Cannot decline: %s", error->message);
}

static void
show_history_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  HailWindow *window = ensure_window (self);

  hail_window_show_history (window);
  gtk_window_present (GTK_WINDOW (window));
  open_store (self);
}

static const GActionEntry app_actions[] = {
  { "call", call_action, "s" },
  { "open-chat", open_chat_action, "s" },
  { "open-conversation", open_conversation_action, "x" },
  { "answer-call", answer_call_action, "s" },
  { "decline-call", decline_call_action, "s" },
  { "show-history", show_history_action },
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "dial", dial_action, "s" },
  { "new-account", new_account_action },
  { "edit-account", edit_account_action, "s" },
};

/* Keeps the process alive without windows, so calls can still come in.
 * Starting at login means starting in the background, which only makes
 * sense if Hail then stays there. */
static void
update_background (HailApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background") ||
                    g_settings_get_boolean (self->settings, "start-at-login");

  if (wanted == self->held_for_background)
    return;
  self->held_for_background = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
forget_portal_response (HailApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));

  if (self->portal_response_id != 0 && bus != NULL)
    g_dbus_connection_signal_unsubscribe (bus, self->portal_response_id);
  self->portal_response_id = 0;
}

/* The portal answers on its Request object once the user has decided: a
 * refusal turns "Start at Login" back off, so Preferences does not claim
 * what the desktop will not do (UX.md rule 4). */
static void
portal_response_cb (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *params,
                    gpointer         user_data)
{
  HailApplication *self = HAIL_APPLICATION (user_data);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  guint32 response;

  forget_portal_response (self);
  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (params, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);
  if (g_settings_get_boolean (self->settings, "start-at-login") && (response != 0 || !autostart))
    {
      g_debug ("Background portal: autostart not granted (response %u)", response);
      g_settings_set_boolean (self->settings, "start-at-login", FALSE);
    }
}

static void
portal_background_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             result, &error);

  if (reply == NULL)
    g_debug ("Background portal: %s", error->message);
}

/* Subscribed before the call, on the path the portal will use for
 * @token (org.freedesktop.portal.Request), so the answer cannot be
 * missed. */
static void
await_portal_response (HailApplication *self,
                       GDBusConnection *bus,
                       const char      *token)
{
  g_autofree char *sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_autofree char *path = NULL;

  g_strdelimit (sender, ".", '_');
  path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  forget_portal_response (self);
  self->portal_response_id =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.portal.Desktop",
                                        "org.freedesktop.portal.Request", "Response", path,
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE, portal_response_cb,
                                        self, NULL);
}

/* Inside Flatpak the Background portal owns autostart; elsewhere it is an
 * XDG autostart entry in the user's config dir. HAIL_TEST_SANDBOXED=1
 * takes the Flatpak way outside one, for the test that answers as the
 * portal (tests/app/test-background-portal.py). */
static gboolean
is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("HAIL_TEST_SANDBOXED"), "1") == 0;
}

static void
apply_start_at_login (HailApplication *self)
{
  gboolean enable = g_settings_get_boolean (self->settings, "start-at-login");
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *path = g_build_filename (dir, APP_ID ".desktop", NULL);
  g_autoptr(GError) error = NULL;

  if (is_sandboxed ())
    {
      GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
      GVariantBuilder options;
      const char *commandline[] = { "hail", "--gapplication-service", NULL };
      g_autofree char *token = NULL;

      if (bus == NULL || g_dbus_connection_get_unique_name (bus) == NULL)
        return;
      token = g_strdup_printf ("hail%u", g_random_int ());
      await_portal_response (self, bus, token);
      g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
      g_variant_builder_add (&options, "{sv}", "reason",
                             g_variant_new_string (_("Receive calls and messages")));
      g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enable));
      g_variant_builder_add (&options, "{sv}", "commandline",
                             g_variant_new_strv (commandline, -1));
      g_variant_builder_add (&options, "{sv}", "dbus-activatable",
                             g_variant_new_boolean (FALSE));
      g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop",
                              "/org/freedesktop/portal/desktop",
                              "org.freedesktop.portal.Background", "RequestBackground",
                              g_variant_new ("(sa{sv})", "", &options), NULL,
                              G_DBUS_CALL_FLAGS_NONE, -1, NULL, portal_background_cb, NULL);
      return;
    }

  if (enable)
    {
      static const char entry[] =
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Hail\n"
        "Icon=" APP_ID "\n"
        "Exec=hail --gapplication-service\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n";

      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents (path, entry, -1, &error))
        g_debug ("Cannot write %s: %s", path, error ? error->message : g_strerror (errno));
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_debug ("Cannot remove %s: %s", path, g_strerror (errno));
    }
}

static void
settings_changed_cb (HailApplication *self,
                     const char      *key)
{
  if (g_strcmp0 (key, "run-in-background") == 0)
    update_background (self);
  else if (g_strcmp0 (key, "start-at-login") == 0)
    {
      apply_start_at_login (self);
      update_background (self);
    }
}

/* Calling is off, not silently broken, until an account is online
 * (UX.md rule 4); the windows say why. */
static void
update_call_action (HailApplication *self)
{
  GAction *call = g_action_map_lookup_action (G_ACTION_MAP (self), "call");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (call),
                               hail_engine_is_available (self->engine) &&
                               hail_core_engine_can_call (HAIL_CORE_ENGINE (self->engine)));
}

/* GTK 4.8 labels a button by its child (the LABELLED_BY relation). For an
 * icon-only button the child is a GtkImage, whose accessible name is its
 * class name, so Orca said "GtkImage Dial Pad push button" (issue #7).
 * Every such button of Hail's has a label of its own: drop the relation
 * when a button is shown, wherever it was built (templates and rows). */
static gsize image_label_hook;

static gboolean
drop_image_label_hook (GSignalInvocationHint *hint,
                       guint                  n_values,
                       const GValue          *values,
                       gpointer               data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_BUTTON (object) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (object))))
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  return TRUE;
}

static void
hail_application_startup (GApplication *app)
{
  HailApplication *self = HAIL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *account_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (hail_application_parent_class)->startup (app);

  /* Once per process: a test may start several applications. */
  if (g_once_init_enter (&image_label_hook))
    {
      g_autoptr(GTypeClass) widget_class = g_type_class_ref (GTK_TYPE_WIDGET);

      g_once_init_leave (&image_label_hook,
                         g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET),
                                                     0, drop_image_label_hook, NULL, NULL));
    }

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-account",
                                         account_accels);

  /* Only cheap work here: settings and the account list are read from
   * dconf in microseconds. The core's start (registering, loading history)
   * will run after the first window is shown (issue #4). */
  self->settings = g_settings_new (APP_ID);
  self->accounts = hail_account_list_new (self->settings);
  self->engine = hail_core_engine_new (self->accounts);
  hail_core_engine_set_settings (HAIL_CORE_ENGINE (self->engine), self->settings);
  g_signal_connect_object (self, "window-removed",
                           G_CALLBACK (window_removed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->engine, "incoming-call",
                           G_CALLBACK (incoming_call_cb), self, G_CONNECT_SWAPPED);
  self->offers = hail_file_actions_new (G_APPLICATION (self), self->engine);
  /* Connected before any window, so windows see the new state when they
   * hear of the same change. */
  g_signal_connect_object (self->engine, "account-state-changed",
                           G_CALLBACK (update_call_action), self, G_CONNECT_SWAPPED);
  update_call_action (self);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  update_background (self);
}

static void
hail_application_shutdown (GApplication *app)
{
  HailApplication *self = HAIL_APPLICATION (app);

  forget_portal_response (self);
  if (self->held_for_background)
    {
      self->held_for_background = FALSE;
      g_application_release (app);
    }
  g_clear_handle_id (&self->start_engine_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (hail_application_parent_class)->shutdown (app);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  if (self->devices != NULL)
    hail_media_devices_stop (self->devices);
  g_clear_object (&self->devices);
  g_clear_object (&self->conversations);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts);
  g_clear_object (&self->offers);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
}

static void
hail_application_activate (GApplication *app)
{
  present_first_window (HAIL_APPLICATION (app));
}

static void
hail_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  HailApplication *self = HAIL_APPLICATION (app);
  gboolean dialed = FALSE;

  /* Several links at once cannot all be dialed: the last one wins, as it
   * is the one the user clicked last. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *scheme = g_uri_parse_scheme (uri);

      if (scheme != NULL && (g_ascii_strcasecmp (scheme, "sip") == 0 ||
                             g_ascii_strcasecmp (scheme, "sips") == 0 ||
                             g_ascii_strcasecmp (scheme, "tel") == 0))
        {
          g_action_group_activate_action (G_ACTION_GROUP (self), "dial",
                                          g_variant_new_string (uri));
          dialed = TRUE;
        }
      else
        g_debug ("Ignoring %s: not a sip:, sips: or tel: link", uri);
    }
  if (!dialed)
    present_first_window (self);
}

static void
hail_application_class_init (HailApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = hail_application_startup;
  app_class->shutdown = hail_application_shutdown;
  app_class->activate = hail_application_activate;
  app_class->open = hail_application_open;
}

static void
hail_application_init (HailApplication *self)
{
}

HailApplication *
hail_application_new (void)
{
  return g_object_new (HAIL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
