package io.wsrpc.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * A real server on a random port that wants an API key: {@link #USER_KEY} (alice, role
 * {@code user}) or {@link #ADMIN_KEY} (root, roles {@code user} and {@code admin}), and
 * lets pages of {@code https://app.example.com} connect. Every test class with it shares
 * one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.security.enabled=true", "wsrpc.security.api-keys[0].name=alice",
				"wsrpc.security.api-keys[0].sha256=0845e3658edc1c91bfc9d172eeae3e60417056b1b7fe9909c00e05023adb7f1d",
				"wsrpc.security.api-keys[0].roles=user", "wsrpc.security.api-keys[1].name=root",
				"wsrpc.security.api-keys[1].sha256=69a5265506c94c77b787a7d7377b7685a0eff82e33920a71e7ee22cd6154953e",
				"wsrpc.security.api-keys[1].roles=user,admin", "wsrpc.allowed-origins=https://app.example.com" })
@Import(TestMethods.Config.class)
public @interface SecuredServer {

	/** The key of alice, role user. */
	String USER_KEY = "user-key";

	/** The key of root, roles user and admin. */
	String ADMIN_KEY = "admin-key";

}
