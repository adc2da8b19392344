/* hail-file-actions.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-file-actions.h"

#include "hail-chat-window.h"

#include <glib/gi18n.h>

struct _HailFileActions {
  GObject parent_instance;

  /* borrowed references: the application owns this object */
  GApplication *app;

  /* owned references */
  HailEngine *engine;
  GHashTable *offers;    /* id -> HailOfferView still open */
};

G_DEFINE_FINAL_TYPE (HailFileActions, hail_file_actions, G_TYPE_OBJECT)

static char *
notification_id (const char *offer_id)
{
  return g_strconcat ("offer-", offer_id, NULL);
}

static void
offer_decided_cb (HailFileActions *self,
                  GParamSpec        *pspec,
                  HailOfferView     *offer)
{
  g_autofree char *id = hail_offer_view_dup_id (offer);
  g_autofree char *notification = notification_id (id);

  if (!hail_offer_view_is_decided (offer))
    return;
  g_application_withdraw_notification (self->app, notification);
  g_signal_handlers_disconnect_by_data (offer, self);
  g_hash_table_remove (self->offers, id);
}

static void
offer_added_cb (HailFileActions *self,
                HailOfferView     *offer)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = hail_offer_view_dup_id (offer);
  g_autofree char *remote = hail_offer_view_dup_remote (offer);
  g_autofree char *question = NULL;
  g_autofree char *notification_name = NULL;

  if (hail_offer_view_is_decided (offer) || g_hash_table_contains (self->offers, id))
    return;
  g_hash_table_insert (self->offers, g_strdup (id), g_object_ref (offer));
  g_signal_connect_object (offer, "notify::decided", G_CALLBACK (offer_decided_cb), self,
                           G_CONNECT_SWAPPED);

  question = hail_offer_view_dup_question (offer);
  notification = g_notification_new (question);
  g_notification_set_body (notification, remote);
  /* The same question waits in the conversation's window. */
  g_notification_set_default_action_and_target (notification, "app.open-chat", "s", remote);
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline-offer",
                                         "s", id);
  g_notification_add_button_with_target (notification, _("Accept"), "app.accept-offer",
                                         "s", id);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  notification_name = notification_id (id);
  g_application_send_notification (self->app, notification_name, notification);
}

static void
decide_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  HailFileActions *self = HAIL_FILE_ACTIONS (user_data);
  HailOfferView *offer = g_hash_table_lookup (self->offers, g_variant_get_string (param, NULL));

  /* Already decided elsewhere, or an old notification: nothing to do. */
  if (offer == NULL)
    return;
  if (g_strcmp0 (g_action_get_name (G_ACTION (action)), "accept-offer") == 0)
    hail_offer_view_accept (offer);
  else
    hail_offer_view_decline (offer);
}

static HailChatWindow *
find_chat_window (HailFileActions *self,
                  const char      *remote)
{
  if (!GTK_IS_APPLICATION (self->app))
    return NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->app)); l != NULL;
       l = l->next)
    if (HAIL_IS_CHAT_WINDOW (l->data) &&
        g_strcmp0 (hail_chat_window_get_remote (l->data), remote) == 0)
      return l->data;
  return NULL;
}

/* app.send-file (remote, path or URI): what the chat window's Send a File
 * does, for scripts and tests that have no file dialog to click. */
static void
send_file_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HailFileActions *self = HAIL_FILE_ACTIONS (user_data);
  const char *remote, *where;
  HailChatWindow *chat;

  g_variant_get (param, "(&s&s)", &remote, &where);
  if (g_action_group_has_action (G_ACTION_GROUP (self->app), "open-chat"))
    g_action_group_activate_action (G_ACTION_GROUP (self->app), "open-chat",
                                    g_variant_new_string (remote));
  chat = find_chat_window (self, remote);
  if (chat == NULL)
    {
      g_debug ("No chat window for %s to send %s from", remote, where);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (chat), "chat.send-file", "s", where);
}

static void
hail_file_actions_dispose (GObject *object)
{
  HailFileActions *self = HAIL_FILE_ACTIONS (object);

  if (self->offers != NULL)
    {
      GHashTableIter iter;
      gpointer offer;

      g_hash_table_iter_init (&iter, self->offers);
      while (g_hash_table_iter_next (&iter, NULL, &offer))
        g_signal_handlers_disconnect_by_data (offer, self);
    }
  g_clear_pointer (&self->offers, g_hash_table_unref);
  g_clear_object (&self->engine);
  /* The actions point at this object: they go with it. */
  if (self->app != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self->app), "accept-offer");
      g_action_map_remove_action (G_ACTION_MAP (self->app), "decline-offer");
      g_action_map_remove_action (G_ACTION_MAP (self->app), "send-file");
      self->app = NULL;
    }

  G_OBJECT_CLASS (hail_file_actions_parent_class)->dispose (object);
}

static void
hail_file_actions_class_init (HailFileActionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hail_file_actions_dispose;
}

static void
hail_file_actions_init (HailFileActions *self)
{
  self->offers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

HailFileActions *
hail_file_actions_new (GApplication *app,
                         HailEngine   *engine)
{
  static const GActionEntry actions[] = {
    { "accept-offer", decide_action, "s", NULL, NULL, { 0 } },
    { "decline-offer", decide_action, "s", NULL, NULL, { 0 } },
    { "send-file", send_file_action, "(ss)", NULL, NULL, { 0 } },
  };
  HailFileActions *self;
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (HAIL_IS_ENGINE (engine), NULL);

  self = g_object_new (HAIL_TYPE_FILE_ACTIONS, NULL);
  self->app = app;
  self->engine = g_object_ref (engine);
  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), self);
  g_signal_connect_object (engine, "offer-added", G_CALLBACK (offer_added_cb), self,
                           G_CONNECT_SWAPPED);
  waiting = hail_engine_dup_offers (engine);
  for (guint i = 0; i < waiting->len; i++)
    offer_added_cb (self, g_ptr_array_index (waiting, i));
  return self;
}
