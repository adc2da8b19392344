/* hail-sip-error.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAIL_SIP_ERROR (hail_sip_error_quark ())

/**
 * HailSipError:
 * @HAIL_SIP_ERROR_INCOMPLETE: a stream needs more bytes; not a failure yet
 * @HAIL_SIP_ERROR_MALFORMED: these bytes can never become a valid message
 * @HAIL_SIP_ERROR_TOO_LARGE: a configured bound (size, header count) was passed
 * @HAIL_SIP_ERROR_VERSION: a SIP version other than SIP/2.0 (answer 505)
 * @HAIL_SIP_ERROR_UNSUPPORTED: well-formed, but asks for something we lack
 * @HAIL_SIP_ERROR_TIMEOUT: a transaction timer (B, F, H) fired
 * @HAIL_SIP_ERROR_TRANSPORT: a transport failed (refused, reset, unreachable)
 * @HAIL_SIP_ERROR_TLS_VERIFY: the peer's certificate did not verify
 * @HAIL_SIP_ERROR_TLS: the TLS handshake or record layer failed otherwise
 * @HAIL_SIP_ERROR_AUTH_REJECTED: credentials were refused (wrong password)
 * @HAIL_SIP_ERROR_AUTH_UNSUPPORTED: no challenge we can answer
 *
 * Failures of the SIP layer that are not a final response from the peer.
 */
typedef enum {
  HAIL_SIP_ERROR_INCOMPLETE,
  HAIL_SIP_ERROR_MALFORMED,
  HAIL_SIP_ERROR_TOO_LARGE,
  HAIL_SIP_ERROR_VERSION,
  HAIL_SIP_ERROR_UNSUPPORTED,
  HAIL_SIP_ERROR_TIMEOUT,
  HAIL_SIP_ERROR_TRANSPORT,
  HAIL_SIP_ERROR_TLS_VERIFY,
  HAIL_SIP_ERROR_TLS,
  HAIL_SIP_ERROR_AUTH_REJECTED,
  HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
} HailSipError;

/* A final 3xx-6xx from the peer: code = status, message = reason phrase. */
#define HAIL_SIP_STATUS_ERROR (hail_sip_status_error_quark ())

GQuark hail_sip_error_quark        (void);
GQuark hail_sip_status_error_quark (void);

G_END_DECLS
