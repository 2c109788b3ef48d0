package io.wsrpc;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "io.wsrpc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule sharedPackagesStayFreeOfSpring = noClasses().that()
		.resideInAnyPackage("io.wsrpc.api..", "io.wsrpc.protocol..", "io.wsrpc.client..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "jakarta.servlet..")
		.because("the client shares these packages and must run without Spring");

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching("io.wsrpc.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule dependenciesPointInward = noClasses().that()
		.resideInAnyPackage("io.wsrpc.api..", "io.wsrpc.protocol..", "io.wsrpc.registry..", "io.wsrpc.dispatch..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.wsrpc.transport..", "io.wsrpc.demo..")
		.because("transport depends on dispatch, dispatch on registry, registry on api and protocol");

	@ArchTest
	static final ArchRule demoUsesOnlyTheApi = noClasses().that()
		.resideInAPackage("io.wsrpc.demo..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.wsrpc.protocol..", "io.wsrpc.registry..", "io.wsrpc.dispatch..", "io.wsrpc.transport..")
		.because("demo methods are written like any application's, against api only");

}
