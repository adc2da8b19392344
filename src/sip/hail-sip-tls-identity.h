/* hail-sip-tls-identity.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TLS_IDENTITY (hail_sip_tls_identity_get_type ())
G_DECLARE_FINAL_TYPE (HailSipTlsIdentity, hail_sip_tls_identity, HAIL, SIP_TLS_IDENTITY, GObject)

/* A key pair (EC P-256) and a self-signed certificate for it, made in
 * memory: what a user agent without a CA-issued certificate presents, the
 * peer checking it against the fingerprint we put in the SDP (RFC 8122,
 * the comedia-tls model RFC 4975 §14.4 refers to). */
HailSipTlsIdentity *hail_sip_tls_identity_new             (GError            **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

/* The identity of this process, made at the first call (a key pair takes
 * about a millisecond, but every session would otherwise have a new one).
 * Returns a new reference, or NULL with HAIL_SIP_ERROR_TLS. Thread-safe. */
HailSipTlsIdentity *hail_sip_tls_identity_dup_default     (GError            **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

/* The a=fingerprint value of the certificate: "sha-256 4A:AD:...". */
const char         *hail_sip_tls_identity_get_fingerprint (HailSipTlsIdentity *self);

/* Checks an a=fingerprint value (RFC 8122 §5): a hash function we accept
 * (sha-256, sha-384 or sha-512; sha-1 and older are refused as too weak)
 * and, separated by one space, a digest of its length as colon-separated
 * hex pairs. Returns the digest length in bytes (the strength, to pick
 * among several), or 0 with HAIL_SIP_ERROR_MALFORMED or
 * HAIL_SIP_ERROR_UNSUPPORTED. */
gsize               hail_sip_tls_fingerprint_check        (const char         *value,
                                                          GError            **error);

G_END_DECLS
