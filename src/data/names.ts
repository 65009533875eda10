/**
 * What a column's name says about it, where its values cannot: an integer named as an
 * identifier names a row or an entity, and is no quantity.
 */

/** Names of identifiers: `id`, `customer_id`, `user.uuid`, `account_key`. */
export const ID_NAME = /(^|[^a-z])(id|uuid|guid|key)$|^id([^a-z]|$)/i;
