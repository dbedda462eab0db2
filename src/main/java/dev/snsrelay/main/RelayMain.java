package dev.snsrelay.main;

import org.apache.camel.main.Main;

/**
 * Starts sns-relay with camel-main, from the working folder: application.properties and
 * routes/*.camel.yaml are read from there, so an integrator edits them without rebuilding.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        main.run(args);
    }

    /** The relay's Main, not yet started; tests add override properties before running it. */
    public static Main create() {
        Main main = new Main();
        String config = System.getProperty("relay.config", "application.properties");
        main.setDefaultPropertyPlaceholderLocation("file:" + config);
        main.configure().withBasePackageScanEnabled(false);
        main.configure().addConfiguration(new RelayConfiguration());
        return main;
    }
}
