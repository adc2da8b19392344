/* hail-account-wizard.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first window of a first run (UX.md rule 1): the address as pasted,
 * shown back as read (rule 2), then a check whose result stays on screen
 * with Retry and Edit (rule 3).
 */
#include "config.h"

#include "hail-account-wizard.h"

#include "hail-address.h"
#include "hail-msrp-relay.h"
#include "hail-store-error.h"
#include "hail-store-secrets.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_ACCOUNTS,
  PROP_ENGINE,
  PROP_CONFIG,
  N_PROPS
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

/* Rows of the transport combo, in .ui order. */
enum {
  TRANSPORT_FROM_ADDRESS,
  TRANSPORT_UDP,
  TRANSPORT_TCP,
  TRANSPORT_TLS,
};

struct _HailAccountWizard {
  AdwWindow parent_instance;

  /* template children */
  AdwLeaflet *leaflet;
  AdwWindowTitle *account_title;
  GtkWidget *next_button;
  GtkEntry *address_row;
  GtkPasswordEntry *password_row;
  GtkEntry *display_name_row;
  GtkLabel *address_error_label;
  AdwPreferencesGroup *parsed_group;
  AdwActionRow *user_row;
  AdwActionRow *host_row;
  AdwActionRow *port_row;
  AdwActionRow *transport_row;
  GtkEntry *auth_user_row;
  GtkEntry *proxy_row;
  GtkLabel *proxy_error_label;
  AdwComboRow *transport_combo;
  GtkSpinButton *port_spin;
  GtkEntry *ca_file_row;
  GtkEntry *msrp_relay_row;
  GtkLabel *relay_error_label;
  AdwActionRow *relay_row;
  GtkStack *check_stack;
  GtkSpinner *spinner;
  GtkLabel *busy_label;
  AdwStatusPage *result_page;
  GtkWidget *retry_button;

  /* owned references */
  HailAccountList *accounts;
  HailEngine *engine;
  HailAccountConfig *config;     /* NULL until saved, unless editing */
  GCancellable *cancellable;
  GtkFileChooserNative *ca_chooser;

  /* state */
  HailAddress *address;          /* what the address field reads as */
  char *stored_address;          /* the keyring key of the password now stored, */
  char *stored_login;            /* to move it when the address or login changes */
  gboolean proxy_valid;
  gboolean relay_valid;
  gboolean save_pending;         /* the server accepted the account, the keyring did not */
};

G_DEFINE_FINAL_TYPE (HailAccountWizard, hail_account_wizard, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
entry_text (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
update_next (HailAccountWizard *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 self->address != NULL && self->proxy_valid &&
                                 self->relay_valid);
}

static void
show_parsed (HailAccountWizard *self)
{
  HailAddressTransport transport = hail_address_get_transport (self->address);
  const char *name = hail_address_transport_to_string (transport);
  g_autofree char *port = NULL;
  g_autofree char *transport_text = NULL;

  adw_action_row_set_subtitle (self->user_row, hail_address_get_user (self->address));
  adw_action_row_set_subtitle (self->host_row, hail_address_get_host (self->address));
  if (hail_address_get_port (self->address) != 0)
    port = g_strdup_printf ("%u", hail_address_get_port (self->address));
  else
    /* Translators: "5060 (default for UDP)": %u is a port number, %s UDP, TCP or TLS */
    port = g_strdup_printf (_("%u (default for %s)"),
                            hail_address_get_effective_port (self->address), name);
  adw_action_row_set_subtitle (self->port_row, port);
  if (hail_address_is_secure (self->address))
    /* Translators: %s is TLS; a sips: address always uses it */
    transport_text = g_strdup_printf (_("%s (required by sips:)"), name);
  else if (hail_address_has_transport (self->address))
    transport_text = g_strdup (name);
  else
    /* Translators: %s is UDP, the transport used when the address names none */
    transport_text = g_strdup_printf (_("%s (default)"), name);
  adw_action_row_set_subtitle (self->transport_row, transport_text);
}

static void
address_changed_cb (HailAccountWizard *self)
{
  const char *text = entry_text (self->address_row);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->address, hail_address_unref);
  self->address = hail_address_parse (text, NULL, &error);
  if (self->address != NULL && hail_address_is_phone_number (self->address))
    {
      g_clear_pointer (&self->address, hail_address_unref);
      g_set_error (&error, HAIL_ADDRESS_ERROR, HAIL_ADDRESS_ERROR_BAD_SCHEME,
                   _("An account needs a SIP address, not a phone number."));
    }

  /* Screen readers hear the problem with the field itself, not only from
   * the red label below it. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->address_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               self->address == NULL && *text != '\0' ?
                               GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->address_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->address == NULL && *text != '\0' ? error->message : "",
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->parsed_group), self->address != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->address_error_label),
                          self->address == NULL && *text != '\0');
  if (self->address != NULL)
    {
      show_parsed (self);
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
    }
  else
    {
      gtk_label_set_text (self->address_error_label, *text != '\0' ? error->message : "");
      if (*text != '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
    }
  update_next (self);
}

/* A proxy is a server, so a user part is optional: read it with a dummy one. */
static gboolean
check_proxy (const char  *text,
             GError     **error)
{
  g_autoptr(HailAddress) parsed = NULL;
  g_autofree char *with_user = NULL;
  const char *colon = strchr (text, ':');
  const char *rest = text;

  if (*text == '\0')
    return TRUE;
  if (strchr (text, '@') != NULL)
    parsed = hail_address_parse (text, NULL, error);
  else
    {
      if (colon != NULL && (g_ascii_strncasecmp (text, "sip:", 4) == 0 ||
                            g_ascii_strncasecmp (text, "sips:", 5) == 0))
        rest = colon + 1;
      with_user = g_strdup_printf ("%.*sproxy@%s", (int) (rest - text), text, rest);
      parsed = hail_address_parse (with_user, NULL, error);
    }
  return parsed != NULL;
}

static void
proxy_changed_cb (HailAccountWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy = g_strstrip (g_strdup (entry_text (self->proxy_row)));

  self->proxy_valid = check_proxy (proxy, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_error_label), !self->proxy_valid);
  if (!self->proxy_valid)
    {
      g_autofree char *text = NULL;

      /* Translators: %s explains what is wrong, e.g. "The port must be a number…" */
      text = g_strdup_printf (_("The proxy cannot be used: %s"), error->message);
      gtk_label_set_text (self->proxy_error_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->proxy_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->proxy_row), "error");
  update_next (self);
}

static void
msrp_relay_changed_cb (HailAccountWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *relay = g_strstrip (g_strdup (entry_text (self->msrp_relay_row)));
  g_autoptr(HailMsrpUri) uri = NULL;

  if (*relay != '\0')
    uri = hail_msrp_relay_parse_uri (relay, &error);
  self->relay_valid = *relay == '\0' || uri != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->relay_error_label), !self->relay_valid);
  if (!self->relay_valid)
    {
      g_autofree char *text = NULL;

      /* Translators: %s explains what is wrong with the relay address */
      text = g_strdup_printf (_("The MSRP relay cannot be used: %s"), error->message);
      gtk_label_set_text (self->relay_error_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->msrp_relay_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->msrp_relay_row), "error");
  /* The summary's row: the relay, or that there is none (an unusable
   * one is not taken). */
  adw_action_row_set_subtitle (self->relay_row, uri != NULL
                                                ? relay
                                                : _("None: message sessions go directly"));
  update_next (self);
}

static void
entry_activated_cb (HailAccountWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
show_ready (HailAccountWizard *self)
{
  g_autofree char *description = NULL;

  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->check_stack, "result");
  adw_status_page_set_icon_name (self->result_page, "emblem-ok-symbolic");
  adw_status_page_set_title (self->result_page, _("Account Ready"));
  /* Translators: %s is a SIP address */
  description = g_markup_printf_escaped (_("%s is signed in and ready for calls and "
                                           "messages."),
                                         hail_account_config_get_address (self->config));
  adw_status_page_set_description (self->result_page, description);
  gtk_widget_set_visible (self->retry_button, FALSE);
}

/* UX.md rule 5: say why the keyring failed, store nothing elsewhere, and
 * keep the password field as typed so Retry needs no retyping. */
static void
show_store_failure (HailAccountWizard *self,
                    const GError      *error)
{
  g_autofree char *description = NULL;

  /* libsecret's own words, for whoever reads the log: never a secret. */
  g_debug ("The keyring did not save the password of %s: %s",
           hail_account_config_get_address (self->config), error->message);
  self->save_pending = TRUE;
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->check_stack, "result");
  adw_status_page_set_icon_name (self->result_page, "dialog-password-symbolic");
  adw_status_page_set_title (self->result_page, _("Password Not Saved"));
  if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING))
    description = g_markup_escape_text (_("The account works, but the keyring is locked, so "
                                          "the password was not saved. Choose Retry to "
                                          "unlock it and save the password. What you typed "
                                          "is kept."), -1);
  else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE))
    description = g_markup_escape_text (_("The account works, but no keyring service is "
                                          "running. Hail keeps passwords only in the "
                                          "keyring, never in a plain file. Start GNOME "
                                          "Keyring (or another Secret Service), then choose "
                                          "Retry. What you typed is kept."), -1);
  else
    /* Translators: %s is the keyring's error message */
    description = g_markup_printf_escaped (_("The account works, but the keyring could not "
                                             "save the password: %s. Choose Retry. What "
                                             "you typed is kept."), error->message);
  adw_status_page_set_description (self->result_page, description);
  gtk_widget_set_visible (self->retry_button, TRUE);
}

static void
old_password_cleared_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_secrets_clear_finish (result, &error))
    g_debug ("The password under the account's old address stays in the keyring: %s",
             error->message);
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HailAccountWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  const char *address = hail_account_config_get_address (self->config);

  if (!hail_store_secrets_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_store_failure (self, error);
      return;
    }
  /* An edit that changed the address or login stored the password under
   * a new key: the old entry would be a stale copy nobody reads. */
  login = hail_account_config_dup_login (self->config);
  if (self->stored_address != NULL &&
      (g_strcmp0 (self->stored_address, address) != 0 ||
       g_strcmp0 (self->stored_login, login) != 0))
    hail_store_secrets_clear_async (self->stored_address, self->stored_login, NULL,
                                    old_password_cleared_cb, NULL);
  g_free (self->stored_address);
  self->stored_address = g_strdup (address);
  g_free (self->stored_login);
  self->stored_login = g_steal_pointer (&login);
  show_ready (self);
}

static void
start_save (HailAccountWizard *self)
{
  g_autofree char *login = hail_account_config_dup_login (self->config);

  self->save_pending = FALSE;
  gtk_label_set_text (self->busy_label, _("Saving the password in the keyring…"));
  gtk_stack_set_visible_child_name (self->check_stack, "busy");
  gtk_spinner_start (self->spinner);
  hail_store_secrets_store_async (hail_account_config_get_address (self->config), login,
                                  entry_text (self->password_row), self->cancellable,
                                  store_done_cb, g_object_ref (self));
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HailAccountWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const char *address = hail_account_config_get_address (self->config);

  if (!hail_engine_check_account_finish (HAIL_ENGINE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error == NULL)
    {
      /* Only a password the server accepted is worth keeping. */
      start_save (self);
      return;
    }

  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->check_stack, "result");
  if (g_error_matches (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE))
    {
      adw_status_page_set_icon_name (self->result_page, "dialog-information-symbolic");
      adw_status_page_set_title (self->result_page, _("Account Saved, Not Checked"));
      /* Translators: the first %s is a SIP address, the second says why it was not checked */
      description = g_markup_printf_escaped (_("%s is saved. %s\n\nThe password was not "
                                               "stored: you will be asked for it once Hail "
                                               "can sign in."), address, error->message);
      gtk_widget_set_visible (self->retry_button, TRUE);
    }
  else
    {
      adw_status_page_set_icon_name (self->result_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->result_page, _("Could Not Sign In"));
      description = g_markup_escape_text (error->message, -1);
      gtk_widget_set_visible (self->retry_button, TRUE);
    }
  adw_status_page_set_description (self->result_page, description);
}

static void
start_check (HailAccountWizard *self)
{
  g_autofree char *busy = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->save_pending = FALSE;

  /* Translators: %s is a SIP address */
  busy = g_strdup_printf (_("Signing in as %s…"), hail_account_config_get_address (self->config));
  gtk_label_set_text (self->busy_label, busy);
  gtk_stack_set_visible_child_name (self->check_stack, "busy");
  gtk_spinner_start (self->spinner);
  adw_leaflet_set_visible_child_name (self->leaflet, "checking");

  hail_engine_check_account_async (self->engine, self->config,
                                   entry_text (self->password_row), self->cancellable,
                                   check_done_cb, g_object_ref (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);
  g_autofree char *uri = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *relay = NULL;
  static const char * const transports[] = { NULL, "udp", "tcp", "tls" };
  guint transport = adw_combo_row_get_selected (self->transport_combo);

  if (self->address == NULL || !self->proxy_valid || !self->relay_valid)
    return;

  uri = hail_address_to_uri (self->address);
  proxy = g_strstrip (g_strdup (entry_text (self->proxy_row)));
  display_name = g_strstrip (g_strdup (entry_text (self->display_name_row)));
  if (self->config == NULL)
    self->config = hail_account_config_new (uri);
  else
    hail_account_config_set_address (self->config, uri);
  hail_account_config_set_display_name (self->config, display_name);
  hail_account_config_set_auth_user (self->config, entry_text (self->auth_user_row));
  hail_account_config_set_proxy (self->config, proxy);
  hail_account_config_set_transport (self->config,
                                     transport < G_N_ELEMENTS (transports) ?
                                     transports[transport] : NULL);
  hail_account_config_set_port (self->config,
                                (guint) gtk_spin_button_get_value_as_int (self->port_spin));
  ca_file = g_strstrip (g_strdup (entry_text (self->ca_file_row)));
  hail_account_config_set_ca_file (self->config, ca_file);
  relay = g_strstrip (g_strdup (entry_text (self->msrp_relay_row)));
  hail_account_config_set_msrp_relay (self->config, relay);
  if (self->accounts != NULL)
    hail_account_list_save (self->accounts, self->config);
  start_check (self);
}

static void
advanced_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "advanced");
  gtk_widget_grab_focus (GTK_WIDGET (self->auth_user_row));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "account");
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);

  /* After a keyring failure the server has already accepted this very
   * account: only the saving is tried again (the keyring may prompt to
   * unlock then), without signing in twice. */
  if (self->save_pending)
    start_save (self);
  else if (self->config != NULL)
    start_check (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);

  g_cancellable_cancel (self->cancellable);
  self->save_pending = FALSE;
  gtk_spinner_stop (self->spinner);
  adw_leaflet_set_visible_child_name (self->leaflet, "account");
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
ca_chooser_response_cb (HailAccountWizard *self,
                        int                response)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->ca_chooser));
  /* The core reads the file by path each time it signs in. */
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row), path);
  g_clear_object (&self->ca_chooser);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);
  GtkFileFilter *filter;

  if (self->ca_chooser != NULL)
    return;
  self->ca_chooser = gtk_file_chooser_native_new (_("Choose a Certificate Authority"),
                                                  GTK_WINDOW (self),
                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                  _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->ca_chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (self->ca_chooser, "response", G_CALLBACK (ca_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->ca_chooser));
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (widget);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->config);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fill_from_config (HailAccountWizard *self)
{
  const char *transport = hail_account_config_get_transport (self->config);
  guint selected = TRANSPORT_FROM_ADDRESS;

  self->stored_address = g_strdup (hail_account_config_get_address (self->config));
  self->stored_login = hail_account_config_dup_login (self->config);
  adw_window_title_set_title (self->account_title, _("Edit Account"));
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row),
                         hail_account_config_get_address (self->config));
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         hail_account_config_get_display_name (self->config) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->auth_user_row),
                         hail_account_config_get_auth_user (self->config) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_row),
                         hail_account_config_get_proxy (self->config) ?: "");
  if (g_strcmp0 (transport, "udp") == 0)
    selected = TRANSPORT_UDP;
  else if (g_strcmp0 (transport, "tcp") == 0)
    selected = TRANSPORT_TCP;
  else if (g_strcmp0 (transport, "tls") == 0)
    selected = TRANSPORT_TLS;
  adw_combo_row_set_selected (self->transport_combo, selected);
  gtk_spin_button_set_value (self->port_spin, hail_account_config_get_port (self->config));
  gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row),
                         hail_account_config_get_ca_file (self->config) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->msrp_relay_row),
                         hail_account_config_get_msrp_relay (self->config) ?: "");
}

static void
hail_account_wizard_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_wizard_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_wizard_constructed (GObject *object)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (object);

  G_OBJECT_CLASS (hail_account_wizard_parent_class)->constructed (object);

  if (self->config != NULL)
    fill_from_config (self);
  address_changed_cb (self);
  proxy_changed_cb (self);
  msrp_relay_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
hail_account_wizard_dispose (GObject *object)
{
  HailAccountWizard *self = HAIL_ACCOUNT_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_ACCOUNT_WIZARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts);
  g_clear_object (&self->engine);
  g_clear_object (&self->config);
  if (self->ca_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->ca_chooser));
  g_clear_object (&self->ca_chooser);
  g_clear_pointer (&self->address, hail_address_unref);
  g_clear_pointer (&self->stored_address, g_free);
  g_clear_pointer (&self->stored_login, g_free);

  G_OBJECT_CLASS (hail_account_wizard_parent_class)->dispose (object);
}

static void
hail_account_wizard_class_init (HailAccountWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_account_wizard_get_property;
  object_class->set_property = hail_account_wizard_set_property;
  object_class->constructed = hail_account_wizard_constructed;
  object_class->dispose = hail_account_wizard_dispose;

  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", "Accounts", "Where the account is saved",
                         HAIL_TYPE_ACCOUNT_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", "Engine", "What checks the account",
                         HAIL_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", "Config", "The account being edited, or NULL for a new one",
                         HAIL_TYPE_ACCOUNT_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailAccountWizard::finished:
   * @config: the saved account
   *
   * The user has seen the result of the check and continues.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HAIL_TYPE_ACCOUNT_CONFIG);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-account-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, account_title);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, address_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, password_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, parsed_group);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, user_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, host_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, port_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, transport_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, auth_user_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, proxy_error_label);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, transport_combo);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, port_spin);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, msrp_relay_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, relay_error_label);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, relay_row);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, check_stack);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, spinner);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, busy_label);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, result_page);
  gtk_widget_class_bind_template_child (widget_class, HailAccountWizard, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, proxy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, msrp_relay_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.advanced", NULL, advanced_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "wizard.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "wizard.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-ca-file", NULL,
                                   choose_ca_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hail_account_wizard_init (HailAccountWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hail_account_wizard_new:
 * @accounts: (nullable): where the account is saved
 * @engine: the engine that checks the account
 * @config: (nullable): an account to edit, or %NULL to add one
 *
 * Returns: (transfer full): a new wizard window
 */
HailAccountWizard *
hail_account_wizard_new (HailAccountList   *accounts,
                         HailEngine        *engine,
                         HailAccountConfig *config)
{
  g_return_val_if_fail (accounts == NULL || HAIL_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (HAIL_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (config == NULL || HAIL_IS_ACCOUNT_CONFIG (config), NULL);

  return g_object_new (HAIL_TYPE_ACCOUNT_WIZARD,
                       "accounts", accounts,
                       "engine", engine,
                       "config", config,
                       NULL);
}
