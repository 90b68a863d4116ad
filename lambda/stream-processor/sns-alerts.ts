import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from './ports';

/** The alert port on SNS (the environment's warning topic). */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  public async publish(subject: string, message: string): Promise<void> {
    await this.sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject, Message: message }));
  }
}
