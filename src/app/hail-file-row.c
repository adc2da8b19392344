/* hail-file-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-file-row.h"

#include "hail-chat-transfer.h"

#include <glib/gi18n.h>

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_TRANSFER,
  N_PROPS
};

struct _HailFileRow {
  GtkListBoxRow parent_instance;

  /* template children */
  GtkBox *bubble;
  GtkLabel *name_label;
  GtkLabel *size_label;
  GtkProgressBar *progress_bar;
  GtkLabel *state_label;
  GtkButton *cancel_button;
  GtkButton *retry_button;
  GtkButton *open_button;
  GtkButton *folder_button;

  /* owned references */
  char *peer_name;
  HailStoreMessage *message;
  HailTransferView *transfer;
  HailEngine *engine;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (HailFileRow, hail_file_row, GTK_TYPE_LIST_BOX_ROW)

static GParamSpec *properties[N_PROPS];

char *
hail_file_row_dup_state_text (HailTransferViewState  state,
                              gboolean               outgoing,
                              const char            *reason)
{
  gboolean has_reason = reason != NULL && *reason != '\0';

  switch (state)
    {
    case HAIL_TRANSFER_VIEW_STATE_PREPARING:
      /* Translators: a file is read through to hash it before it is offered */
      return g_strdup (_("Preparing…"));
    case HAIL_TRANSFER_VIEW_STATE_CONNECTING:
      return g_strdup (outgoing ? _("Waiting for the other side…") : _("Connecting…"));
    case HAIL_TRANSFER_VIEW_STATE_ACTIVE:
      return g_strdup (outgoing ? _("Sending…") : _("Receiving…"));
    case HAIL_TRANSFER_VIEW_STATE_DONE:
      return g_strdup (outgoing ? _("Delivered") : _("Received"));
    case HAIL_TRANSFER_VIEW_STATE_DECLINED:
      return g_strdup (outgoing ? _("Declined by the other side") : _("Declined"));
    case HAIL_TRANSFER_VIEW_STATE_CANCELLED:
      return g_strdup (_("Cancelled"));
    case HAIL_TRANSFER_VIEW_STATE_FAILED:
    default:
      if (has_reason)
        /* Translators: %s says why a file transfer stopped, e.g. "the peer went away" */
        return g_strdup_printf (_("Failed: %s"), reason);
      return g_strdup (_("Failed"));
    }
}

/* A past file's state from its stored message alone. */
static void
stored_state (HailStoreMessage       *message,
              HailTransferViewState  *state,
              char                  **reason,
              gboolean               *unsupported)
{
  HailStoreMessageState stored = hail_store_message_get_state (message);

  *reason = g_strdup (hail_store_message_get_reason (message));
  if (stored == HAIL_STORE_MESSAGE_STATE_FAILED)
    {
      *state = HAIL_TRANSFER_VIEW_STATE_FAILED;
      /* The core's own words, stored untranslated: worded again below,
       * with the peer's name, as when the failure was live. */
      *unsupported = g_strcmp0 (*reason, HAIL_CHAT_TRANSFER_REASON_UNSUPPORTED) == 0;
    }
  else if (hail_store_message_get_direction (message) == HAIL_STORE_DIRECTION_IN ||
           stored == HAIL_STORE_MESSAGE_STATE_SENT ||
           stored == HAIL_STORE_MESSAGE_STATE_DELIVERED ||
           stored == HAIL_STORE_MESSAGE_STATE_DISPLAYED)
    *state = HAIL_TRANSFER_VIEW_STATE_DONE;
  else
    {
      /* Left sending by an earlier run: nothing moves it on now. */
      *state = HAIL_TRANSFER_VIEW_STATE_FAILED;
      g_free (*reason);
      *reason = g_strdup (_("Hail was closed before it finished"));
    }
}

/* The accessible names say which file a button acts on: a conversation
 * can hold several rows with a Cancel button. */
static void
name_button (GtkButton *button,
             char      *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_free (label);
}

/* The file on disk: the live transfer's, else the one the store recorded. */
static GFile *
dup_file (HailFileRow *self)
{
  const char *uri;

  if (self->transfer != NULL)
    return hail_transfer_view_dup_file (self->transfer);
  uri = self->message != NULL ? hail_store_message_get_file_uri (self->message) : NULL;
  return uri != NULL ? g_file_new_for_uri (uri) : NULL;
}

static gboolean
has_file (HailFileRow *self)
{
  g_autoptr(GFile) file = dup_file (self);

  return file != NULL;
}

static void
update_row (HailFileRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *state_text = NULL;
  HailTransferViewState state = HAIL_TRANSFER_VIEW_STATE_FAILED;
  gboolean outgoing = FALSE;
  gboolean unsupported = FALSE;
  gboolean moving, ended, failed;
  guint64 size = 0, done = 0;

  if (self->transfer != NULL)
    g_object_get (self->transfer, "name", &name, "size", &size, "done", &done,
                  "state", &state, "reason", &reason, "outgoing", &outgoing,
                  "unsupported", &unsupported, NULL);
  else if (self->message != NULL)
    {
      /* A past file whose transfer this run does not have. */
      outgoing = hail_store_message_get_direction (self->message) == HAIL_STORE_DIRECTION_OUT;
      name = g_strdup (hail_store_message_get_file_name (self->message));
      size = hail_store_message_get_file_size (self->message);
      stored_state (self->message, &state, &reason, &unsupported);
    }
  if (name == NULL)
    name = g_strdup ("");

  /* The core's words name no one: the peer's name makes them plain. */
  if (unsupported && state == HAIL_TRANSFER_VIEW_STATE_FAILED)
    {
      g_free (reason);
      if (self->peer_name != NULL && *self->peer_name != '\0')
        /* Translators: why a file could not be sent; %s is the contact's name */
        reason = g_strdup_printf (_("%s's app cannot take this file"), self->peer_name);
      else
        reason = g_strdup (_("the other side's app cannot take this file"));
    }

  moving = state == HAIL_TRANSFER_VIEW_STATE_PREPARING ||
           state == HAIL_TRANSFER_VIEW_STATE_CONNECTING ||
           state == HAIL_TRANSFER_VIEW_STATE_ACTIVE;
  ended = state == HAIL_TRANSFER_VIEW_STATE_DONE;
  failed = state == HAIL_TRANSFER_VIEW_STATE_FAILED ||
           state == HAIL_TRANSFER_VIEW_STATE_DECLINED ||
           state == HAIL_TRANSFER_VIEW_STATE_CANCELLED;

  gtk_label_set_text (self->name_label, name);
  if (moving)
    size_text = hail_transfer_view_format_progress (done, size);
  else if (size > 0)
    size_text = g_format_size (size);
  gtk_label_set_text (self->size_label, size_text != NULL ? size_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->size_label), size_text != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), moving);
  if (moving)
    {
      if (size > 0)
        gtk_progress_bar_set_fraction (self->progress_bar,
                                       (double) MIN (done, size) / (double) size);
      else
        gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                      size_text != NULL ? size_text : "",
                                      -1);
    }

  state_text = hail_file_row_dup_state_text (state, outgoing, reason);
  gtk_label_set_text (self->state_label, state_text);
  if (state == HAIL_TRANSFER_VIEW_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");

  gtk_widget_set_halign (GTK_WIDGET (self->bubble), outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_remove_css_class (GTK_WIDGET (self->bubble), outgoing ? "incoming" : "outgoing");
  gtk_widget_add_css_class (GTK_WIDGET (self->bubble), outgoing ? "outgoing" : "incoming");

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), moving && self->transfer != NULL);
  /* Only what was sent from here can be sent again; a declined file was
   * refused, not lost. A file of an earlier run goes again through the
   * engine. */
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          outgoing && failed && state != HAIL_TRANSFER_VIEW_STATE_DECLINED &&
                          has_file (self) && (self->transfer != NULL || self->engine != NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), ended && !outgoing && has_file (self));
  gtk_widget_set_visible (GTK_WIDGET (self->folder_button), ended && !outgoing &&
                                                           has_file (self));
  name_button (self->cancel_button,
               /* Translators: the accessible name of a button; %s is a file's name */
               outgoing ? g_strdup_printf (_("Cancel sending %s"), name)
               /* Translators: the accessible name of a button; %s is a file's name */
                        : g_strdup_printf (_("Cancel receiving %s"), name));
  /* Translators: the accessible name of a button; %s is a file's name */
  name_button (self->retry_button, g_strdup_printf (_("Send %s again"), name));
  /* Translators: the accessible name of a button; %s is a file's name */
  name_button (self->open_button, g_strdup_printf (_("Open %s"), name));
  /* Translators: the accessible name of a button; %s is a file's name */
  name_button (self->folder_button, g_strdup_printf (_("Open the folder of %s"), name));
}

static void
cancel_clicked_cb (HailFileRow *self)
{
  if (self->transfer != NULL)
    hail_transfer_view_cancel (self->transfer);
}

/* For a retry that could not even start: how one that started ends is
 * the transfer's own state and reason. */
static void
show_retry_error (HailFileRow  *self,
                  const GError *error)
{
  /* Translators: %s says why a file could not be sent again */
  g_autofree char *text = g_strdup_printf (_("Failed: %s"), error->message);

  gtk_label_set_text (self->state_label, text);
}

static void
retry_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HailFileRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hail_transfer_view_retry_finish (HAIL_TRANSFER_VIEW (source), result, &error))
    return;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_retry_error (self, error);
}

static void
retry_file_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HailFileRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailTransferView) transfer = hail_engine_retry_file_finish (HAIL_ENGINE (source),
                                                                        result, &error);

  /* Usually given already by the engine's "transfer-added". */
  if (transfer != NULL)
    {
      hail_file_row_set_transfer (self, transfer);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_retry_error (self, error);
  /* Nothing started: the user may try again, say once back online. */
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
}

static void
retry_clicked_cb (HailFileRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  /* A file of an earlier run: the engine resumes it from its row (RFC
   * 5547 §9) as a new transfer, rather than sending it whole again. */
  if (self->transfer == NULL)
    {
      if (self->engine != NULL && self->message != NULL)
        hail_engine_retry_file_async (self->engine, hail_store_message_get_id (self->message),
                                      self->cancellable, retry_file_cb, g_object_ref (self));
      return;
    }
  hail_transfer_view_retry_async (self->transfer, self->cancellable, retry_cb,
                                  g_object_ref (self));
}

static void
show_file (HailFileRow *self,
           gboolean     folder)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if ((file = dup_file (self)) == NULL)
    return;
  if (folder && (parent = g_file_get_parent (file)) != NULL)
    uri = g_file_get_uri (parent);
  else
    uri = g_file_get_uri (file);
  /* gtk_show_uri goes through the OpenURI portal in a sandbox and to the
   * default handler outside one; GtkFileLauncher is GTK 4.10. */
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
open_clicked_cb (HailFileRow *self)
{
  show_file (self, FALSE);
}

static void
folder_clicked_cb (HailFileRow *self)
{
  show_file (self, TRUE);
}

static void
hail_file_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HailFileRow *self = HAIL_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    case PROP_TRANSFER:
      g_value_set_object (value, self->transfer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_file_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HailFileRow *self = HAIL_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      self->message = g_value_dup_object (value);
      break;
    case PROP_TRANSFER:
      hail_file_row_set_transfer (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_file_row_constructed (GObject *object)
{
  HailFileRow *self = HAIL_FILE_ROW (object);

  G_OBJECT_CLASS (hail_file_row_parent_class)->constructed (object);
  if (self->message != NULL)
    {
      g_signal_connect_object (self->message, "notify::state", G_CALLBACK (update_row), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->message, "notify::reason", G_CALLBACK (update_row), self,
                               G_CONNECT_SWAPPED);
    }
  update_row (self);
}

static void
hail_file_row_dispose (GObject *object)
{
  HailFileRow *self = HAIL_FILE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  /* As in HailMessageRow: the row lets its child go before the template. */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_FILE_ROW);
  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_clear_object (&self->transfer);
  g_clear_object (&self->message);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (hail_file_row_parent_class)->dispose (object);
}

static void
hail_file_row_finalize (GObject *object)
{
  HailFileRow *self = HAIL_FILE_ROW (object);

  g_clear_object (&self->cancellable);
  g_free (self->peer_name);

  G_OBJECT_CLASS (hail_file_row_parent_class)->finalize (object);
}

static void
hail_file_row_class_init (HailFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_file_row_get_property;
  object_class->set_property = hail_file_row_set_property;
  object_class->constructed = hail_file_row_constructed;
  object_class->dispose = hail_file_row_dispose;
  object_class->finalize = hail_file_row_finalize;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", "Message", "The stored file message, if any",
                         HAIL_TYPE_STORE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRANSFER] =
    g_param_spec_object ("transfer", "Transfer", "The live transfer, if any",
                         HAIL_TYPE_TRANSFER_VIEW,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, size_label);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, HailFileRow, folder_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_clicked_cb);
}

static void
hail_file_row_init (HailFileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
hail_file_row_new (HailStoreMessage *message,
                   HailTransferView *transfer)
{
  g_return_val_if_fail (message == NULL || HAIL_IS_STORE_MESSAGE (message), NULL);
  g_return_val_if_fail (transfer == NULL || HAIL_IS_TRANSFER_VIEW (transfer), NULL);
  g_return_val_if_fail (message != NULL || transfer != NULL, NULL);

  return g_object_new (HAIL_TYPE_FILE_ROW, "message", message, "transfer", transfer, NULL);
}

HailStoreMessage *
hail_file_row_get_message (HailFileRow *self)
{
  g_return_val_if_fail (HAIL_IS_FILE_ROW (self), NULL);

  return self->message;
}

HailTransferView *
hail_file_row_get_transfer (HailFileRow *self)
{
  g_return_val_if_fail (HAIL_IS_FILE_ROW (self), NULL);

  return self->transfer;
}

void
hail_file_row_set_transfer (HailFileRow      *self,
                            HailTransferView *transfer)
{
  g_return_if_fail (HAIL_IS_FILE_ROW (self));
  g_return_if_fail (transfer == NULL || HAIL_IS_TRANSFER_VIEW (transfer));

  if (self->transfer == transfer)
    return;
  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_set_object (&self->transfer, transfer);
  if (transfer != NULL)
    {
      static const char *watched[] = {
        "notify::done", "notify::state", "notify::reason", "notify::name", "notify::size",
      };

      for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
        g_signal_connect_swapped (transfer, watched[i], G_CALLBACK (update_row), self);
    }
  /* Before constructed, the template has no message yet to fall back to. */
  if (self->name_label != NULL && (self->message != NULL || transfer != NULL))
    update_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSFER]);
}

void
hail_file_row_set_engine (HailFileRow *self,
                          HailEngine  *engine)
{
  g_return_if_fail (HAIL_IS_FILE_ROW (self));
  g_return_if_fail (engine == NULL || HAIL_IS_ENGINE (engine));

  if (g_set_object (&self->engine, engine))
    update_row (self);
}

void
hail_file_row_set_peer_name (HailFileRow *self,
                             const char  *name)
{
  g_return_if_fail (HAIL_IS_FILE_ROW (self));

  if (g_strcmp0 (self->peer_name, name) == 0)
    return;
  g_free (self->peer_name);
  self->peer_name = g_strdup (name);
  update_row (self);
}
