// Types for the aws-sdk-client-mock-jest matchers that jest.config.js loads for the unit tests.
import 'aws-sdk-client-mock-jest'
