/* hail-sip-registration.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-auth.h"
#include "hail-sip-stack.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/* Times a 423 Interval Too Brief is honoured for one REGISTER. */
#define HAIL_SIP_REGISTRATION_MAX_423 3
/* Seconds before a failed refresh is tried again. */
#define HAIL_SIP_REGISTRATION_RETRY_SECONDS 30

/**
 * HailSipRegistrationState:
 * @HAIL_SIP_REGISTRATION_STATE_UNREGISTERED: no binding
 * @HAIL_SIP_REGISTRATION_STATE_REGISTERING: a REGISTER is in flight
 * @HAIL_SIP_REGISTRATION_STATE_REGISTERED: bound; refreshed before expiry
 * @HAIL_SIP_REGISTRATION_STATE_FAILED: the last REGISTER failed (see
 *   hail_sip_registration_get_error()); retried later
 * @HAIL_SIP_REGISTRATION_STATE_UNREGISTERING: Expires: 0 is in flight
 */
typedef enum {
  HAIL_SIP_REGISTRATION_STATE_UNREGISTERED,
  HAIL_SIP_REGISTRATION_STATE_REGISTERING,
  HAIL_SIP_REGISTRATION_STATE_REGISTERED,
  HAIL_SIP_REGISTRATION_STATE_FAILED,
  HAIL_SIP_REGISTRATION_STATE_UNREGISTERING,
} HailSipRegistrationState;

#define HAIL_TYPE_SIP_REGISTRATION_STATE (hail_sip_registration_state_get_type ())
GType hail_sip_registration_state_get_type (void) G_GNUC_CONST;

#define HAIL_TYPE_SIP_REGISTRATION (hail_sip_registration_get_type ())
G_DECLARE_FINAL_TYPE (HailSipRegistration, hail_sip_registration, HAIL, SIP_REGISTRATION, GObject)

/* One binding of an address of record at its registrar (RFC 3261 §10),
 * with `+sip.instance` (RFC 5626 §4.1) in the Contact. Refreshes happen at
 * max (granted / 2, granted - 60) seconds: a minute early for long
 * bindings, half-way for short ones (RFC 3261 §10.2.4 leaves the margin to
 * us; half-way survives one lost refresh). It registers again at once when
 * its flow breaks or the network changes (GNetworkMonitor). The "state"
 * property says where it is; failures keep their GError and SIP status. */
HailSipRegistration      *hail_sip_registration_new         (HailSipStack        *stack,
                                                             HailSipAuth         *auth,
                                                             HailSipUri          *aor,
                                                             HailSipUri          *registrar,
                                                             const char          *instance_id)
  G_GNUC_WARN_UNUSED_RESULT;

/* -1 (default) lets the registrar URI or RFC 3263 choose. */
void                      hail_sip_registration_set_transport (HailSipRegistration *self,
                                                               gint                 kind);
void                      hail_sip_registration_set_expires (HailSipRegistration *self,
                                                             guint                expires);
guint                     hail_sip_registration_get_expires (HailSipRegistration *self);
HailSipRegistrationState  hail_sip_registration_get_state   (HailSipRegistration *self);
/* The lifetime the registrar granted, in seconds; 0 when not registered. */
guint                     hail_sip_registration_get_granted_expires (HailSipRegistration *self);
/* Our Contact value as last sent, or NULL. */
const char               *hail_sip_registration_get_contact (HailSipRegistration *self);
/* The last failure, in words a user understands, or NULL. */
const GError             *hail_sip_registration_get_error   (HailSipRegistration *self);
/* The SIP status of the last failure: the final response's code, 408 for
 * a timeout, 503 when the server could not be reached, 0 when none. */
guint                     hail_sip_registration_get_status  (HailSipRegistration *self);
/* The server we register with, once resolved; borrowed. */
const HailSipTarget      *hail_sip_registration_get_target  (HailSipRegistration *self);

/* Registers and completes when the registrar granted a binding (or said
 * no). Afterwards the binding is refreshed until unregister. */
void hail_sip_registration_register_async (HailSipRegistration  *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean hail_sip_registration_register_finish (HailSipRegistration  *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* Removes our binding (Expires: 0) and stops refreshing. */
void hail_sip_registration_unregister_async (HailSipRegistration  *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean                  hail_sip_registration_unregister_finish (HailSipRegistration  *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

/* Describes @error (from any SIP operation) in plain words and gives the
 * SIP status to report: what the registration does with its failures. */
char                     *hail_sip_describe_failure         (const GError        *error,
                                                             guint                status,
                                                             guint               *report_status)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
