/* hail-address.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a person types or pastes as a SIP address, read leniently and
 * explained back. This is the app's own reader until the core's HailSipUri
 * exists (issue #4); it stays in this one file so it can be swapped. */

#define HAIL_ADDRESS_ERROR (hail_address_error_quark ())

typedef enum {
  HAIL_ADDRESS_ERROR_EMPTY,
  HAIL_ADDRESS_ERROR_TOO_LONG,
  HAIL_ADDRESS_ERROR_MALFORMED,
  HAIL_ADDRESS_ERROR_BAD_SCHEME,
  HAIL_ADDRESS_ERROR_HAS_PASSWORD,
  HAIL_ADDRESS_ERROR_NO_USER,
  HAIL_ADDRESS_ERROR_BAD_USER,
  HAIL_ADDRESS_ERROR_NO_HOST,
  HAIL_ADDRESS_ERROR_BAD_HOST,
  HAIL_ADDRESS_ERROR_BAD_PORT,
  HAIL_ADDRESS_ERROR_BAD_TRANSPORT,
} HailAddressError;

typedef enum {
  HAIL_ADDRESS_TRANSPORT_UDP,
  HAIL_ADDRESS_TRANSPORT_TCP,
  HAIL_ADDRESS_TRANSPORT_TLS,
} HailAddressTransport;

/* The longest text the reader looks at; longer input is an error. */
#define HAIL_ADDRESS_MAX_LENGTH 1024

#define HAIL_TYPE_ADDRESS (hail_address_get_type ())

typedef struct _HailAddress HailAddress;

GQuark                hail_address_error_quark       (void);
GType                 hail_address_get_type          (void) G_GNUC_CONST;

G_GNUC_WARN_UNUSED_RESULT
HailAddress          *hail_address_parse             (const char   *text,
                                                      const char   *default_host,
                                                      GError      **error);
HailAddress          *hail_address_ref               (HailAddress  *self);
void                  hail_address_unref             (HailAddress  *self);

gboolean              hail_address_is_secure         (const HailAddress *self);
gboolean              hail_address_is_phone_number   (const HailAddress *self);
const char           *hail_address_get_user          (const HailAddress *self);
const char           *hail_address_get_host          (const HailAddress *self);
guint                 hail_address_get_port          (const HailAddress *self);
guint                 hail_address_get_effective_port (const HailAddress *self);
HailAddressTransport  hail_address_get_transport     (const HailAddress *self);
gboolean              hail_address_has_transport     (const HailAddress *self);
G_GNUC_WARN_UNUSED_RESULT
char                 *hail_address_to_uri            (const HailAddress *self);

const char           *hail_address_transport_to_string (HailAddressTransport transport);
gboolean              hail_address_transport_from_string (const char           *name,
                                                          HailAddressTransport *transport);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailAddress, hail_address_unref)

G_END_DECLS
