/* hail-chat-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-chat-window.h"

#include "hail-file-row.h"
#include "hail-message-row.h"
#include "hail-store-message-list.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_ACCOUNT,
  PROP_REMOTE,
  PROP_TITLE_TEXT,
  PROP_CONVERSATION_ID,
  N_PROPS
};

struct _HailChatWindow {
  AdwWindow parent_instance;

  /* template children */
  AdwWindowTitle *window_title;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkScrolledWindow *scroller;
  GtkStack *list_stack;
  GtkListBox *message_list;
  GtkRevealer *composing_revealer;
  GtkLabel *error_label;
  GtkEntry *message_entry;
  GtkButton *send_button;
  GtkButton *attach_button;
  GtkRevealer *offer_revealer;
  GtkLabel *offer_label;
  GtkButton *accept_offer_button;
  GtkButton *decline_offer_button;

  /* owned references */
  HailStore *store;
  HailEngine *engine;
  HailStoreMessageList *messages;
  GtkFilter *filter;
  GtkFilterListModel *filtered;
  GCancellable *cancellable;
  char *account;
  char *remote;
  char *title_text;
  GSettings *settings;
  GPtrArray *offers;        /* HailOfferView from this peer, oldest first */
  GtkFileChooserNative *chooser;

  /* state */
  gint64 conversation_id;
  gboolean sending;
  gboolean loading;
  gboolean keep_bottom;    /* Follow new messages unless the user scrolled up. */
  double upper_before_older;
};

G_DEFINE_FINAL_TYPE (HailChatWindow, hail_chat_window, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
update_actions (HailChatWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.send",
                                 !self->sending && *stripped != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.retry",
                                 self->engine != NULL &&
                                 hail_engine_is_available (self->engine));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.attach",
                                 self->engine != NULL &&
                                 hail_engine_is_available (self->engine));
}

static void
update_page (HailChatWindow *self)
{
  gboolean any = self->filtered != NULL &&
                 g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (any)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else
    gtk_stack_set_visible_child_name (self->list_stack, *query != '\0' ? "no-results" : "empty");
}

static gboolean
message_match_cb (gpointer item,
                  gpointer user_data)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (user_data);
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *body = NULL;

  if (*query == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  body = g_utf8_casefold (hail_store_message_get_body (HAIL_STORE_MESSAGE (item)), -1);
  return strstr (body, needle) != NULL;
}

static GtkWidget *
create_message_row_cb (gpointer item,
                       gpointer user_data)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (user_data);
  HailStoreMessage *message = HAIL_STORE_MESSAGE (item);
  HailTransferView *transfer = NULL;

  if (self->engine != NULL)
    transfer = hail_engine_lookup_transfer (self->engine, hail_store_message_get_id (message));
  if (transfer != NULL || hail_store_message_get_file_name (message) != NULL)
    {
      GtkWidget *row = hail_file_row_new (message, transfer);

      hail_file_row_set_engine (HAIL_FILE_ROW (row), self->engine);
      /* The window's title is the peer's name, else the address. */
      hail_file_row_set_peer_name (HAIL_FILE_ROW (row), gtk_window_get_title (GTK_WINDOW (self)));
      return row;
    }
  return hail_message_row_new (message);
}

static void
scroll_to_bottom (HailChatWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) -
                                 gtk_adjustment_get_page_size (adj));
}

/* Keeps the view where it was when older messages are put above it, and at
 * the bottom when new ones arrive there. */
static void
upper_changed_cb (HailChatWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  if (self->upper_before_older > 0)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) +
                                     gtk_adjustment_get_upper (adj) - self->upper_before_older);
      self->upper_before_older = 0;
    }
  else if (self->keep_bottom)
    scroll_to_bottom (self);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->loading = FALSE;
  if (!hail_store_message_list_load_finish (HAIL_STORE_MESSAGE_LIST (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Cannot load messages: %s", error->message);
      /* Translators: %s says why the history could not be read */
      g_autofree char *text = g_strdup_printf (_("Cannot show the messages: %s"),
                                               error->message);
      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  update_page (self);
}

static void
load_older (HailChatWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  if (self->messages == NULL || self->loading ||
      !hail_store_message_list_get_has_older (self->messages))
    return;
  self->loading = TRUE;
  self->upper_before_older = gtk_adjustment_get_upper (adj);
  hail_store_message_list_load_older_async (self->messages, self->cancellable, load_cb,
                                            g_object_ref (self));
}

static void
scrolled_cb (HailChatWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double value = gtk_adjustment_get_value (adj);

  self->keep_bottom = value + gtk_adjustment_get_page_size (adj) >=
                      gtk_adjustment_get_upper (adj) - 8;
  if (value <= gtk_adjustment_get_lower (adj) &&
      gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj))
    load_older (self);
}

static void
mark_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_update_finish (HAIL_STORE (source), result, &error))
    g_debug ("Cannot mark the conversation read: %s", error->message);
}

static void
attach_conversation (HailChatWindow *self)
{
  if (self->store == NULL || self->conversation_id <= 0 || self->messages != NULL)
    return;

  self->messages = hail_store_message_list_new (self->store, self->conversation_id);
  self->filter = GTK_FILTER (gtk_custom_filter_new (message_match_cb, self, NULL));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->messages)),
                                              g_object_ref (self->filter));
  gtk_list_box_bind_model (self->message_list, G_LIST_MODEL (self->filtered),
                           create_message_row_cb, self, NULL);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  self->loading = TRUE;
  hail_store_message_list_load_async (self->messages, self->cancellable, load_cb,
                                      g_object_ref (self));
  hail_store_mark_conversation_read_async (self->store, self->conversation_id,
                                           self->cancellable, mark_read_cb, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION_ID]);
}

/* The first message of a new conversation gives the window its id. */
static void
message_added_cb (HailChatWindow   *self,
                  HailStoreMessage *message)
{
  if (self->conversation_id > 0)
    {
      if (hail_store_message_get_conversation_id (message) == self->conversation_id &&
          gtk_window_is_active (GTK_WINDOW (self)))
        hail_store_mark_conversation_read_async (self->store, self->conversation_id,
                                                 self->cancellable, mark_read_cb, NULL);
      return;
    }
  if (g_strcmp0 (hail_store_message_get_remote (message), self->remote) != 0 ||
      (self->account != NULL &&
       g_strcmp0 (hail_store_message_get_account (message), self->account) != 0))
    return;
  self->conversation_id = hail_store_message_get_conversation_id (message);
  attach_conversation (self);
}

static void
composing_cb (HailChatWindow *self,
              const char     *remote,
              gboolean        active)
{
  if (g_strcmp0 (remote, self->remote) == 0)
    gtk_revealer_set_reveal_child (self->composing_revealer, active);
}

static void
show_error (HailChatWindow *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  id = hail_engine_send_message_finish (HAIL_ENGINE (source), result, &error);
  self->sending = FALSE;
  gtk_editable_set_editable (GTK_EDITABLE (self->message_entry), TRUE);
  if (id <= 0)
    {
      /* Never lose typed text: it stays in the entry, with the reason. */
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why, e.g. "The SIP engine is not available in this build." */
      text = g_strdup_printf (_("Not sent: %s"), error->message);
      show_error (self, text);
    }
  else
    {
      show_error (self, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
      self->keep_bottom = TRUE;
    }
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));

  if (self->sending || *text == '\0' || self->engine == NULL)
    return;
  self->sending = TRUE;
  /* Read-only while in flight, so what is stored is what the entry shows. */
  gtk_editable_set_editable (GTK_EDITABLE (self->message_entry), FALSE);
  update_actions (self);
  hail_engine_send_message_async (self->engine, self->account, self->remote, text,
                                  self->cancellable, send_cb, g_object_ref (self));
}

static void
resend_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!hail_engine_resend_message_finish (HAIL_ENGINE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s says why the message could not be sent again */
      g_autofree char *text = g_strdup_printf (_("Not sent: %s"), error->message);

      show_error (self, text);
    }
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (widget);

  hail_engine_resend_message_async (self->engine, g_variant_get_int64 (param),
                                    self->cancellable, resend_cb, g_object_ref (self));
}

/* A transfer's stored row usually reaches the list before the engine
 * tells of the transfer: give it to the row already shown. */
static void
transfer_added_cb (HailChatWindow   *self,
                   HailTransferView *transfer)
{
  g_autofree char *remote = hail_transfer_view_dup_remote (transfer);
  gint64 id = hail_transfer_view_get_id (transfer);

  if (g_strcmp0 (remote, self->remote) != 0 || id <= 0)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->message_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      HailStoreMessage *message;

      if (!HAIL_IS_FILE_ROW (child))
        continue;
      message = hail_file_row_get_message (HAIL_FILE_ROW (child));
      if (message != NULL && hail_store_message_get_id (message) == id)
        hail_file_row_set_transfer (HAIL_FILE_ROW (child), transfer);
    }
}

/* The oldest question still open is the one asked. */
static HailOfferView *
current_offer (HailChatWindow *self)
{
  for (guint i = 0; i < self->offers->len; i++)
    if (!hail_offer_view_is_decided (g_ptr_array_index (self->offers, i)))
      return g_ptr_array_index (self->offers, i);
  return NULL;
}

static void
update_offer (HailChatWindow *self)
{
  HailOfferView *shown = current_offer (self);

  if (shown != NULL)
    {
      g_autofree char *question = hail_offer_view_dup_question (shown);

      gtk_label_set_text (self->offer_label, question);
    }
  gtk_revealer_set_reveal_child (self->offer_revealer, shown != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->offer_revealer), shown != NULL);
}

static void
offer_decided_cb (HailChatWindow *self,
                  GParamSpec     *pspec,
                  HailOfferView  *offer)
{
  if (hail_offer_view_is_decided (offer))
    {
      g_signal_handlers_disconnect_by_data (offer, self);
      g_ptr_array_remove (self->offers, offer);
    }
  update_offer (self);
}

static void
offer_added_cb (HailChatWindow *self,
                HailOfferView  *offer)
{
  g_autofree char *remote = hail_offer_view_dup_remote (offer);

  if (g_strcmp0 (remote, self->remote) != 0 || hail_offer_view_is_decided (offer) ||
      g_ptr_array_find (self->offers, offer, NULL))
    return;
  g_ptr_array_add (self->offers, g_object_ref (offer));
  g_signal_connect_object (offer, "notify::decided", G_CALLBACK (offer_decided_cb), self,
                           G_CONNECT_SWAPPED);
  update_offer (self);
}

static void
accept_offer_cb (HailChatWindow *self)
{
  HailOfferView *offer = current_offer (self);

  if (offer != NULL)
    hail_offer_view_accept (offer);
}

static void
decline_offer_cb (HailChatWindow *self)
{
  HailOfferView *offer = current_offer (self);

  if (offer != NULL)
    hail_offer_view_decline (offer);
}

static void
send_file_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (hail_engine_send_file_finish (HAIL_ENGINE (source), result, &error))
    {
      self->keep_bottom = TRUE;
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  {
    /* Translators: %s says why a file was not sent */
    g_autofree char *text = g_strdup_printf (_("File not sent: %s"), error->message);

    show_error (self, text);
  }
}

/* The limit is checked here too, so that an oversized file gets words
 * before anything reaches the network. */
static void
file_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  g_autofree char *text = NULL;
  guint64 limit;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (info == NULL)
    /* Translators: %s says why the file could not be read */
    text = g_strdup_printf (_("File not sent: %s"), error->message);
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    /* Translators: %s is what was dropped or chosen, e.g. a folder's name */
    text = g_strdup_printf (_("“%s” is not a file: only files can be sent."),
                            g_file_info_get_display_name (info));
  else if ((limit = g_settings_get_uint64 (self->settings, "max-file-size")) > 0 &&
           (guint64) g_file_info_get_size (info) > limit)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *max = g_format_size (limit);

      /* Translators: a file's name, its size and the limit set in Preferences:
       * "“film.mkv” is 2.1 GB, over the 100.0 MB limit set in Preferences." */
      text = g_strdup_printf (_("“%s” is %s, over the %s limit set in Preferences."),
                              g_file_info_get_display_name (info), size, max);
    }
  if (text != NULL)
    {
      show_error (self, text);
      return;
    }
  show_error (self, NULL);
  hail_engine_send_file_async (self->engine, self->account, self->remote, G_FILE (source),
                               self->cancellable, send_file_cb, g_object_ref (self));
}

static void
send_file (HailChatWindow *self,
           GFile          *file)
{
  if (self->engine == NULL)
    return;
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                           file_info_cb, g_object_ref (self));
}

/* A path or a URI: tests and scripts name the file without the dialog. */
static void
send_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (widget);
  const char *where = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *scheme = g_uri_parse_scheme (where);

  if (*where == '\0')
    return;
  file = scheme != NULL ? g_file_new_for_uri (where) : g_file_new_for_path (where);
  send_file (self, file);
}

static void
chooser_response_cb (HailChatWindow *self,
                     int             response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (self->chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          send_file (self, file);
        }
    }
  g_clear_object (&self->chooser);
}

/* GtkFileDialog is GTK 4.10: the native chooser uses the portal where
 * there is one. */
static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Send a File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         HailChatWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    send_file (self, G_FILE (l->data));
  return files != NULL;
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_changed_cb (HailChatWindow *self)
{
  if (self->filter != NULL)
    gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_page (self);
}

static void
entry_changed_cb (HailChatWindow *self)
{
  update_actions (self);
}

static void
entry_activate_cb (HailChatWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "chat.send", NULL);
}

static void
show_name (HailChatWindow *self,
           const char     *name)
{
  g_autofree char *entry_name = NULL;

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title,
                                 g_strcmp0 (name, self->remote) != 0 ? self->remote : NULL);
  /* Translators: the accessible name of the chat entry; %s is the peer */
  entry_name = g_strdup_printf (_("Message to %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, entry_name,
                                  -1);
}

static void
contact_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HailChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreContact) contact = hail_store_find_contact_finish (HAIL_STORE (source),
                                                                        result, &error);

  /* The window went away while this ran: nothing to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Not a contact: the address stays the title. */
  if (contact == NULL)
    g_debug ("No contact for the chat title: %s", error->message);
  else if (!g_cancellable_is_cancelled (self->cancellable))
    show_name (self, hail_store_contact_get_name (contact));
}

static void
hail_chat_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case PROP_TITLE_TEXT:
      g_value_set_string (value, self->title_text);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_int64 (value, self->conversation_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_chat_window_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_string (value);
      break;
    case PROP_REMOTE:
      self->remote = g_value_dup_string (value);
      break;
    case PROP_TITLE_TEXT:
      self->title_text = g_value_dup_string (value);
      break;
    case PROP_CONVERSATION_ID:
      self->conversation_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_chat_window_constructed (GObject *object)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (object);
  gboolean titled = self->title_text != NULL && *self->title_text != '\0';

  G_OBJECT_CLASS (hail_chat_window_parent_class)->constructed (object);

  show_name (self, titled ? self->title_text : self->remote);
  if (!titled && self->store != NULL)
    hail_store_find_contact_async (self->store, self->remote, self->cancellable,
                                   contact_found_cb, g_object_ref (self));

  if (self->engine != NULL)
    {
      g_autoptr(GPtrArray) offers = hail_engine_dup_offers (self->engine);

      g_signal_connect_object (self->engine, "composing",
                               G_CALLBACK (composing_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "transfer-added",
                               G_CALLBACK (transfer_added_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "offer-added",
                               G_CALLBACK (offer_added_cb), self, G_CONNECT_SWAPPED);
      for (guint i = 0; i < offers->len; i++)
        offer_added_cb (self, g_ptr_array_index (offers, i));
    }
  if (self->store != NULL)
    g_signal_connect_object (self->store, "message-added",
                             G_CALLBACK (message_added_cb), self, G_CONNECT_SWAPPED);
  attach_conversation (self);
  update_page (self);
  update_actions (self);
}

static void
hail_chat_window_dispose (GObject *object)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->message_list != NULL)
    gtk_list_box_bind_model (self->message_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_CHAT_WINDOW);
  g_clear_object (&self->messages);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  for (guint i = 0; self->offers != NULL && i < self->offers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->offers, i), self);
  g_clear_pointer (&self->offers, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hail_chat_window_parent_class)->dispose (object);
}

static void
hail_chat_window_finalize (GObject *object)
{
  HailChatWindow *self = HAIL_CHAT_WINDOW (object);

  g_free (self->account);
  g_free (self->remote);
  g_free (self->title_text);
  /* Kept until here: callbacks after dispose check it. */
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hail_chat_window_parent_class)->finalize (object);
}

static void
hail_chat_window_class_init (HailChatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_chat_window_get_property;
  object_class->set_property = hail_chat_window_set_property;
  object_class->constructed = hail_chat_window_constructed;
  object_class->dispose = hail_chat_window_dispose;
  object_class->finalize = hail_chat_window_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", "Store", "Where the messages are",
                         HAIL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", "Engine", "Sends the messages",
                         HAIL_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", "Account", "The account the conversation is on", NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_string ("remote", "Remote", "The peer's address", NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE_TEXT] =
    g_param_spec_string ("title-text", "Title text", "The peer's name, if known", NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_int64 ("conversation-id", "Conversation id", "The stored conversation",
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                        G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAIL_TYPE_MESSAGE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-chat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, message_list);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, composing_revealer);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, message_entry);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, attach_button);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, offer_revealer);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, offer_label);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, accept_offer_button);
  gtk_widget_class_bind_template_child (widget_class, HailChatWindow, decline_offer_button);
  gtk_widget_class_bind_template_callback (widget_class, accept_offer_cb);
  gtk_widget_class_bind_template_callback (widget_class, decline_offer_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "chat.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "chat.retry", "x", retry_action);
  gtk_widget_class_install_action (widget_class, "chat.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "chat.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "chat.send-file", "s", send_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "chat.attach", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "chat.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
hail_chat_window_init (HailChatWindow *self)
{
  GtkAdjustment *adj;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->keep_bottom = TRUE;
  self->settings = g_settings_new (APP_ID);
  self->offers = g_ptr_array_new_with_free_func (g_object_unref);
  /* A file dropped anywhere on the conversation is sent to the peer. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->list_stack), GTK_EVENT_CONTROLLER (drop));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (scrolled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::upper", G_CALLBACK (upper_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

HailChatWindow *
hail_chat_window_new (HailStore  *store,
                      HailEngine *engine,
                      const char *account,
                      const char *remote,
                      const char *title,
                      gint64      conversation_id)
{
  g_return_val_if_fail (store == NULL || HAIL_IS_STORE (store), NULL);
  g_return_val_if_fail (HAIL_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (remote != NULL, NULL);
  g_return_val_if_fail (conversation_id >= 0, NULL);

  return g_object_new (HAIL_TYPE_CHAT_WINDOW,
                       "store", store,
                       "engine", engine,
                       "account", account,
                       "remote", remote,
                       "title-text", title,
                       "conversation-id", conversation_id,
                       NULL);
}

const char *
hail_chat_window_get_account (HailChatWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_WINDOW (self), NULL);

  return self->account;
}

const char *
hail_chat_window_get_remote (HailChatWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_WINDOW (self), NULL);

  return self->remote;
}

gint64
hail_chat_window_get_conversation_id (HailChatWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_WINDOW (self), 0);

  return self->conversation_id;
}

GListModel *
hail_chat_window_get_messages (HailChatWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CHAT_WINDOW (self), NULL);

  return G_LIST_MODEL (self->filtered);
}
