pub use is456;
