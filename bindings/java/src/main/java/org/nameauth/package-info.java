/**
 * The WeChat Pay real-name check (微信支付实名信息验证) for Java, over the nameauth C library.
 *
 * <p>{@link org.nameauth.NameAuthClient} validates a user's openid, real name and ID number, signs
 * the request, calls WeChat Pay and returns a {@link org.nameauth.Verdict} (codes A–F and Other);
 * every failure to get one is a {@link org.nameauth.NameAuthException}.
 */
package org.nameauth;
